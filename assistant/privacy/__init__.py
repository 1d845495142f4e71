"""Privacy by design: retention (deleting old transcripts and signals). Masking is `assistant.masking`."""

from assistant.privacy.retention import PurgeReport, purge_expired

__all__ = ["PurgeReport", "purge_expired"]

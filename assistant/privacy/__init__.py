"""Privacy by design: retention (deleting old transcripts and signals) and optional extra masking."""

from assistant.privacy.masking import MaskingOptions, mask_contact_details
from assistant.privacy.retention import PurgeReport, purge_expired

__all__ = ["MaskingOptions", "PurgeReport", "mask_contact_details", "purge_expired"]

"""The telephone note (telefonnotat): drafted from a call, edited and approved by the caseworker, exported.

`draft_note(record) -> NoteDraft`, `render_markdown(draft)`, `export_note(markdown, "md"|"pdf"|"docx")`;
`classify_outcome(turns)` derives the outcome from the transcript with the cue rules in prompts/notes/.
"""

from assistant.notes.draft import CallRecord, NoteDraft, NoteOptions, NoteTurn, draft_note, render_markdown
from assistant.notes.export import export_note
from assistant.notes.rules import classify_outcome

__all__ = ["CallRecord", "NoteDraft", "NoteOptions", "NoteTurn", "classify_outcome", "draft_note", "export_note",
           "render_markdown"]

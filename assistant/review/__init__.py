"""Read helpers for the supervisor's pages and the note: evidence located in the transcript."""

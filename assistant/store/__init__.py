"""The store: SQLAlchemy models, migrations, the event recorder and the queries behind notes and review.

`Store.open(url)` opens (and migrates) a database; `CallRecorder(store)` is the call listener that writes
events as they happen. Text is masked (`assistant.masking`) before anything is stored.
"""

from assistant.store.db import Store, StoreOptions
from assistant.store.migrate import upgrade_database
from assistant.store.recorder import CallRecorder

__all__ = ["CallRecorder", "Store", "StoreOptions", "upgrade_database"]

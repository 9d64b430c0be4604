"""Where the curated data lives and how it changes: the database models and
migrations (``db``), validated writes with history, undo and conflicts (``store``),
reading uploaded files into a preview (``uploads``) and the editors' login (``auth``)."""

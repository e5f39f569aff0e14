"""One module per metric family (docs/insight.md, "Where the code lives"): each owns its
refresh step, its read paths and the rules both share; ``selectors`` and ``refresh`` call
them in order."""

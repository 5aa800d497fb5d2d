"""The corpus jobs built on the store: alias tables, the linter and its fixes."""

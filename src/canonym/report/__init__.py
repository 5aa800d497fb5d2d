"""Writing linter findings as text, JSON, SARIF or HTML."""

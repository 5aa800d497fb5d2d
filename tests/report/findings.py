"""Findings made by hand for the reporter tests."""

from canonym.jobs.lint import Finding


def finding(
    source: str = "news/a.txt",
    path: str | None = "news/a.txt",
    *,
    rule: str = "non-canonical",
    line: int = 2,
    col: int = 7,
    surface: str = "Mossoul",
    message: str = "'Mossoul' is not canonical; write 'Mosul'",
    context: str = "…forces near Mossoul on Tuesday…",
    entity: str = "mosul",
    severity: str = "",
    language: str | None = "en",
) -> Finding:
    return Finding(
        rule, source.rsplit("/", 1)[-1], source, line, col, entity, surface, "Mosul", message,
        context, path, severity=severity, language=language, end_line=line,
        end_col=col + len(surface), replacement="Mosul" if rule == "non-canonical" else None,
    )  # fmt: skip

import pytest

from canonym.jobs.lint import RULES
from canonym.jobs.rules import REGISTRY, Severity, resolve, selected, severities


def test_codes_and_names_resolve_to_one_rule() -> None:
    assert resolve("CN001") is resolve("non-canonical") is resolve("cn001")
    assert [r.name for r in REGISTRY] == list(RULES)


def test_select_and_ignore_take_codes_or_names() -> None:
    assert selected(["CN001", "corpus-variants"], ["CN003"]) == {"non-canonical"}
    assert selected(None, ["mixed-spellings"]) == {"non-canonical", "corpus-variants"}


def test_unknown_rule_names_the_choices() -> None:
    with pytest.raises(ValueError, match="CN002"):
        resolve("CN999")


def test_severity_overrides_and_order() -> None:
    sev = severities({"CN003": "error"})
    assert sev["corpus-variants"] is Severity.error
    assert sev["non-canonical"] is Severity.warning
    assert Severity.suggestion < Severity.warning < Severity.error
    with pytest.raises(ValueError, match="suggestion"):
        Severity.parse("fatal")

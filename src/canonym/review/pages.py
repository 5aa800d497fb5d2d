"""The review page, rendered on the server.

Every piece of text from the corpus (spellings, contexts, document ids) is
someone else's writing: it is escaped wherever it goes, in text and in
attributes. Each action is a plain form posted back, with the page's token.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from html import escape
from urllib.parse import urlencode

from canonym.gazetteer.entity import ENTITY_TYPES
from canonym.review.model import (
    ACCEPTED,
    KNOWN,
    MERGED,
    PENDING,
    REJECTED,
    EntityView,
    ProposalView,
    Review,
    SpellingView,
)
from canonym.text.scripts import is_arabic_script

__all__ = ["Filters", "render_page", "anchor"]

STATUSES = ("", PENDING, ACCEPTED, REJECTED, KNOWN, MERGED, "attached")
FORM_LANGS = ("en", "fr", "de", "es", "it", "ar")
PAGE = 200


@dataclass(frozen=True)
class Filters:
    type: str = ""
    lang: str = ""
    status: str = ""
    min_count: int = 0
    show: int = PAGE  # entries per section: a large corpus has thousands

    @classmethod
    def from_query(cls, q: dict[str, str]) -> Filters:
        def number(key: str, default: int) -> int:
            try:
                return max(0, min(10**6, int(q.get(key) or default)))
            except ValueError:
                return default

        return cls(q.get("type", "")[:20], q.get("lang", "")[:3], q.get("status", "")[:20],
                   number("min_count", 0), number("show", PAGE) or PAGE)  # fmt: skip

    def query(self, show: int | None = None) -> str:
        f = self if show is None else replace(self, show=show)
        pairs = {"type": f.type, "lang": f.lang, "status": f.status,
                 "min_count": str(f.min_count) if f.min_count else "",
                 "show": str(f.show) if f.show != PAGE else ""}  # fmt: skip
        return urlencode({k: v for k, v in pairs.items() if v})

    def keeps(self, status: str, count: int, langs: Iterable[str], type: str) -> bool:
        if self.status and status != self.status:
            return False
        if self.type and type != self.type:
            return False
        if self.lang and self.lang not in langs:
            return False
        return count >= self.min_count


def anchor(kind: str, key: str) -> str:
    """A stable element id for an entry (ids and spellings may hold any character)."""
    return kind + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _dir(text: str) -> str:
    return ' dir="rtl"' if is_arabic_script(text) else ""


def context_line(context: str, surface: str) -> str:
    """The context with the spelling highlighted, right to left when Arabic."""
    at = context.find(surface)
    if at < 0:
        body = _e(context)
    else:
        end = at + len(surface)
        body = f"{_e(context[:at])}<mark>{_e(surface)}</mark>{_e(context[end:])}"
    rtl = _dir(surface) or _dir(context)
    return f'<span class="ctx"{rtl}>{body}</span>'


class Page:
    def __init__(self, review: Review, filters: Filters, token: str) -> None:
        self.review, self.filters, self.token = review, filters, token

    def form(self, action: str, fields: dict[str, str], body: str, anchor_id: str) -> str:
        hidden = {"token": self.token, "back": self.filters.query(), "at": anchor_id, **fields}
        inputs = "".join(
            f'<input type="hidden" name="{_e(k)}" value="{_e(v)}">' for k, v in hidden.items()
        )
        return f'<form method="post" action="{_e(action)}">{inputs}{body}</form>'

    def spelling_row(self, e: EntityView, s: SpellingView, at: str) -> str:
        v = s.variant
        fields = {"entity": e.id, "surface": v.variant}
        if s.status == KNOWN:
            actions = ""
        elif s.status == PENDING:
            langs = list(dict.fromkeys([*v.languages, *FORM_LANGS]))
            options = "".join(f"<option>{_e(lang)}</option>" for lang in langs)
            actions = (
                self.form("spelling", {**fields, "action": "alias"},
                          '<button title="Accept as an alias">Alias</button>', at)
                + self.form("spelling", {**fields, "action": "form"},
                            f'<select name="lang" aria-label="language">{options}</select>'
                            '<button title="Accept as the form in this language">Form</button>',
                            at)
                + self.form("spelling", {**fields, "action": "reject"},
                            "<button>Reject</button>", at)
            )  # fmt: skip
        else:
            undo = {**fields, "action": "undo"}
            actions = self.form("spelling", undo, "<button>Undo</button>", at)
        label = v.status if s.status == KNOWN else s.status
        if s.lang:
            label += f" ({s.lang})"
        return (
            f'<tr data-spelling="{_e(v.variant)}"><td><bdi{_dir(v.variant)}>{_e(v.variant)}</bdi>'
            f'</td><td><span class="status {_e(s.status)}">{_e(label)}</span></td>'
            f"<td>{v.count}</td><td>{v.documents}</td><td>{_e(' '.join(v.languages))}</td>"
            f"<td>{context_line(v.example, v.variant)}"
            f'<div class="meta">{_e(v.first_document)}</div></td>'
            f'<td class="actions">{actions}</td></tr>'
        )

    def entity(self, e: EntityView) -> str:
        f = self.filters
        rows = [s for s in e.spellings
                if f.keeps(s.status, s.variant.count, s.variant.languages, e.type)]  # fmt: skip
        if not rows or all(s.status == KNOWN for s in rows) and not f.status:
            return ""  # nothing to decide: shown when asked for (status "known")
        at = anchor("e", e.id)
        body = "".join(self.spelling_row(e, s, at) for s in rows)
        return (
            f'<article class="item" id="{at}" tabindex="-1" data-entity="{_e(e.id)}">'
            f'<h3><bdi>{_e(e.name)}</bdi> <span class="meta">{_e(e.id)} · {_e(e.type)}</span></h3>'
            "<table><tr><th>spelling</th><th>status</th><th>count</th><th>docs</th>"
            f"<th>languages</th><th>context</th><th></th></tr>{body}</table></article>"
        )

    def proposal(self, p: ProposalView, others: list[ProposalView]) -> str:
        pr = p.proposal
        if not self.filters.keeps(p.status, p.count, pr.languages, p.type):
            return ""
        at = anchor("p", p.key)
        key = {"key": p.key}
        spellings = ", ".join(f"<bdi{_dir(s)}>{_e(s)}</bdi> ({n})" for s, n in p.spellings)
        label = p.status + (f" → {p.entity}" if p.status == "attached" and p.entity else "")
        if p.status == MERGED and p.into:
            label += f" into {p.into}"
        types = "".join(
            f"<option{' selected' if t == p.type else ''}>{_e(t)}</option>" for t in ENTITY_TYPES
        )
        edit = self.form("proposal", {**key, "action": "edit"}, (
            f'<label>id<input name="id" value="{_e(p.id)}" size="24"></label>'
            f'<label>canonical<input name="name" value="{_e(p.name)}" size="28"{_dir(p.name)}>'
            f'</label><label>type<select name="type">{types}</select></label>'
            "<button>Save</button>"
        ), at).replace("<form ", '<form class="edit" ', 1)  # fmt: skip
        targets = "".join(
            f'<option value="{_e(o.key)}">{_e(o.name)} ({_e(o.id)})</option>'
            for o in others if o.key != p.key and o.status != MERGED
        )  # fmt: skip
        lst = f"{at}-found"
        if p.status == PENDING:
            actions = (
                self.form("proposal", {**key, "action": "accept"},
                          "<button>Accept as new entity</button>", at)
                + self.form("proposal", {**key, "action": "reject"}, "<button>Reject</button>", at)
                + (self.form("proposal", {**key, "action": "merge"},
                             f'<select name="into" aria-label="merge into">{targets}</select>'
                             "<button>Merge into</button>", at) if targets else "")
                + self.form("proposal", {**key, "action": "attach"},
                            f'<input name="entity" list="{lst}" data-search placeholder='
                            f'"entity id or name" size="22" aria-label="attach to entity">'
                            f'<datalist id="{lst}"></datalist><button>Attach</button>', at)
            )  # fmt: skip
        else:
            actions = self.form("proposal", {**key, "action": "undo"}, "<button>Undo</button>", at)
        return (
            f'<article class="item" id="{at}" tabindex="-1" data-proposal="{_e(p.key)}">'
            f'<h3><bdi{_dir(p.name)}>{_e(p.name)}</bdi> <span class="meta">{_e(p.id)} · '
            f'{_e(p.type)}</span> <span class="status {_e(p.status)}">{_e(label)}</span></h3>'
            f'<div>{spellings}</div><div class="meta">{p.count} mentions in {pr.documents} '
            f"documents · {_e(' '.join(pr.languages))}</div>"
            f"<div>{context_line(pr.example, pr.variants[0][0])}</div>"
            f'<div class="actions">{actions}</div>{edit if p.status != MERGED else ""}</article>'
        )

    def filters_form(self, langs: list[str]) -> str:
        f = self.filters

        def select(name: str, current: str, values: Iterable[str], blank: str) -> str:
            opts = "".join(
                f'<option value="{_e(v)}"{" selected" if v == current else ""}>{_e(v or blank)}'
                "</option>" for v in values
            )  # fmt: skip
            return f'<label>{name}<select name="{name}">{opts}</select></label>'

        return (
            '<form class="filters" method="get" action="./">'
            + select("type", f.type, ("", *ENTITY_TYPES), "any")
            + select("lang", f.lang, ("", *langs), "any")
            + select("status", f.status, STATUSES, "any")
            + f'<label>min count<input type="number" name="min_count" min="0" '
            f'value="{f.min_count}" size="4"></label><button>Filter</button></form>'
        )

    def section(self, entries: list[str]) -> str:
        shown = [e for e in entries if e]
        show = self.filters.show
        more = len(shown) - show
        link = (f'<p><a href="./?{_e(self.filters.query(show=show + PAGE))}">Show {min(more, PAGE)}'
                f" more</a> ({more} not shown; or narrow the filters)</p>")  # fmt: skip
        return "".join(shown[:show]) + (link if more > 0 else "")

    def render(self, message: str = "", error: bool = False) -> str:
        entities = self.review.entities()
        proposals = self.review.proposals()
        langs = sorted({g for e in entities for s in e.spellings for g in s.variant.languages}
                       | {g for p in proposals for g in p.proposal.languages})  # fmt: skip
        # The most often seen undecided spellings first: where a review pays most.
        entities.sort(key=lambda e: (-sum(s.variant.count for s in e.spellings
                                          if s.status != KNOWN), e.id))  # fmt: skip
        known = self.section([self.entity(e) for e in entities])
        new = self.section([self.proposal(p, proposals) for p in proposals])
        note = f'<p class="msg{" error" if error else ""}" role="status">{_e(message)}</p>'
        export = self.form("export", {}, "<button>Export</button>", "")
        todo = sum(s.status == PENDING for e in entities for s in e.spellings)
        open_ = sum(p.status == PENDING for p in proposals)
        summary = (f"To decide: {todo} spelling{'s' * (todo != 1)} of known entities, "
                   f"{open_} proposed entit{'ies' if open_ != 1 else 'y'}")  # fmt: skip
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>canonym review · {_e(self.review.path.name)}</title>"
            '<link rel="stylesheet" href="review.css"></head><body>'
            f"<header><h1>canonym review · {_e(self.review.path.name)}</h1>"
            f"{note if message else ''}"
            f'<div class="bar">{self.filters_form(langs)}{export}</div>'
            f'<p class="meta">{summary}. Keys: <kbd>j</kbd> next, <kbd>k</kbd> previous. '
            "Every decision is saved in the database as you make it.</p></header>"
            f"<main><h2>Known entities: spellings seen</h2>{known or '<p>Nothing here.</p>'}"
            f"<h2>Proposed new entities</h2>{new or '<p>Nothing here.</p>'}</main>"
            '<script src="review.js"></script></body></html>'
        )


def render_page(
    review: Review, filters: Filters, token: str, *, message: str = "", error: bool = False
) -> str:
    return Page(review, filters, token).render(message, error)

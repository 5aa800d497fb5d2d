"""Why a name links or not: ``link``'s decision, with the reasons it weighed.

Reach for this module to see a decision, not just its outcome (as yente and
splink explain theirs): the candidate chosen and the form it matched, the
features that moved the link model most, the runner-up, and why the resolver
abstained (below acceptance, a tie with another entity, too unlikely). Ties
between homonyms are broken here, by the context or a prior (``match.context``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from canonym.gazetteer.index import Index
from canonym.match.calibrate import contributions, decides, features, probability
from canonym.match.context import NO_CONTEXT, Context, prefer
from canonym.match.resolve import (
    DEFAULT_THRESHOLDS,
    SHORT_SCORE,
    Match,
    Thresholds,
    resolve,
    shifted,
)
from canonym.names.keys import name_key
from canonym.text.scripts import is_arabic_script

__all__ = ["Explanation", "explain"]


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a name linked to an entity or was left unlinked: what ``link`` weighed.

    ``match`` is the entity linked (None: abstained, ``reason`` says why);
    ``weighed`` the features that moved the link model most, as (feature, what it
    adds to the log-odds);
    ``runner_up`` the next candidate; ``chosen_by`` what broke a tie between
    homonyms (the context or a prior), if anything did.
    """

    query: str
    match: Match | None
    reason: str
    best: Match | None = None
    runner_up: Match | None = None
    probability: float | None = None
    weighed: tuple[tuple[str, float], ...] = ()
    chosen_by: str | None = None

    @property
    def linked(self) -> bool:
        return self.match is not None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "linked": self.match.entity.id if self.match else None,
            "reason": self.reason,
        }
        if self.best is not None:
            d["best"] = self.best.to_dict()
        if self.runner_up is not None:
            d["runner_up"] = self.runner_up.to_dict()
        if self.probability is not None:
            d["probability"] = round(self.probability, 4)
        if self.weighed:
            d["weighed"] = {f: round(v, 3) for f, v in self.weighed}
        if self.chosen_by is not None:
            d["chosen_by"] = self.chosen_by
        return d

    def lines(self) -> list[str]:
        """The explanation as a few lines of text, for a terminal."""
        out = [("linked: " if self.match else "not linked: ") + self.reason]
        b = self.best
        if b is not None:
            via = f"{b.method} via '{b.matched}' (key '{name_key(b.matched)}')"
            read = f", read as '{b.read_as}'" if b.read_as else ""
            out.append(f"best: {b.entity.name} [{b.entity.id}] score {b.score:.3f}, {via}{read}")
        if self.runner_up is not None:
            r = self.runner_up
            out.append(f"runner-up: {r.entity.name} [{r.entity.id}] score {r.score:.3f}")
        if self.probability is not None:
            out.append(f"probability {self.probability:.3f}")
        if self.weighed:
            out.append("weighed most: " + ", ".join(f"{f} {v:+.2f}" for f, v in self.weighed))
        if self.chosen_by is not None:
            out.append(f"chosen by {self.chosen_by}")
        return out


# ``link`` looks at this many candidates: enough to see every homonym of a name
# (three Bethlehems) before one is chosen among them.
_RIVALS = 8
# How many features an explanation names.
_WEIGHED = 4


def explain(
    ix: Index,
    name: str,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    context: Context = NO_CONTEXT,
) -> Explanation:
    """What ``link`` decides for ``name``, and why."""
    arabic = is_arabic_script(name)
    reach = max(thresholds.reach, thresholds.margin_arabic if arabic else thresholds.margin)
    lowered = shifted(thresholds, -reach)
    cands = resolve(ix, name, top=_RIVALS, thresholds=lowered, context=context)
    if not cands:
        return Explanation(name, None, "no candidate is close enough")
    best = cands[0]
    if best.score <= SHORT_SCORE:
        why = "only a short form (a surname alone) matches; it links after the full name"
        return Explanation(name, None, why, best, cands[1] if len(cands) > 1 else None)
    accept = thresholds.accept_arabic if arabic else thresholds.accept
    # A name read another way (or without its designator words) is weighed as read.
    read = best.read_as or name
    model = decides(read, best.method, best.entity.type, best.matched)
    # Candidates this close to the best make the name ambiguous.
    width = thresholds.tie if model else (thresholds.margin_arabic if arabic else thresholds.margin)
    rivals = [c for c in cands if best.score - c.score < width]
    chosen_by = None
    overruled = None
    homonyms = len(rivals) > 1 and all(best.score - c.score < thresholds.tie for c in rivals)
    if homonyms:
        # Equally good readings: only the context or a prior may choose.
        chosen = prefer([c.entity for c in rivals], context)
        if chosen is not None:
            best, chosen_by = rivals[chosen[0]], chosen[1]
            overruled = next(c for c in rivals if c is not best)
            cands = [best, *(c for c in cands if c not in rivals)]
    runner = cands[1] if len(cands) > 1 else None
    runner_up = runner.score if runner is not None else None
    lead = best.score - runner_up if runner_up is not None else None
    if overruled is not None:
        runner = overruled  # the homonym set aside is the one worth naming

    def tie() -> Explanation:
        assert runner is not None and lead is not None
        if not homonyms:
            what = f"{lead:.3f} apart, closer than the margin {width:.2f}"
        elif context:
            what = "equally good, and nothing in the context or the priors favours one"
        else:
            what = "equally good, with no context given and no prior far above the others"
        why = f"tie with {runner.entity.name} [{runner.entity.id}]: {what}"
        return Explanation(name, None, why, best, runner)

    if not model:
        # The score rule: the best must reach acceptance and lead by the margin.
        if best.score < accept:
            why = f"score {best.score:.3f} is below the acceptance {accept:.2f}"
            return Explanation(name, None, why, best, runner)
        margin = thresholds.margin_arabic if arabic else thresholds.margin
        if lead is not None and lead < margin:
            return tie()
        why = f"{best.method} match" + (
            "" if best.method in ("exact", "alias") else f", score {best.score:.3f}"
        )
        why += f", ahead by {lead:.3f}" if lead is not None else ""
        return Explanation(name, best, why, best, runner, chosen_by=chosen_by)
    if best.score < accept - thresholds.reach:
        why = f"score {best.score:.3f} is below {accept - thresholds.reach:.2f}"
        return Explanation(name, None, why, best, runner)
    if lead is not None and lead < thresholds.tie:
        return tie()
    values = features(read, best.matched, best.score, runner_up, arabic, best.entity.type)
    p = probability(values, arabic)
    parts = sorted(contributions(values, arabic), key=lambda t: -abs(t[1]))
    weighed = tuple(parts[:_WEIGHED])
    floor = thresholds.probability_arabic if arabic else thresholds.probability
    if p < floor:
        why = f"probability {p:.3f} of being right is below {floor:.2f}"
        return Explanation(name, None, why, best, runner, p, weighed)
    why = f"probability {p:.3f} of being right, at least {floor:.2f}"
    return Explanation(name, best, why, best, runner, p, weighed, chosen_by)

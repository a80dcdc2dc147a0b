"""Alignment and tuning methods: declared once, named by ``:methods:`` on repositories and papers.

A repository says which methods it implements (``:methods: sft, reward-model, ppo``), in the words
of its README; the entry shows them as a "Methods" row and ``{method-matrix}``
(:mod:`papernotes.views.matrix`) turns every repository's list into a methods × repositories
table. Ids are lower-case slugs; each has the label readers know it by and its full name.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from docutils import nodes

from papernotes.options import OptionError, split_list

__all__ = ["METHODS", "Method", "methods_row", "parse_methods"]


@dataclass(frozen=True)
class Method:
    """One method: its id, short label and full name."""

    id: str
    label: str
    name: str


#: Every method an entry may name, in the order the matrix lists them (the pipeline's order).
METHODS: dict[str, Method] = {
    method.id: method
    for method in (
        Method("sft", "SFT", "supervised fine-tuning on demonstrations"),
        Method("reward-model", "Reward model", "training a reward model on human preferences"),
        Method("ppo", "PPO", "proximal policy optimisation against a reward model"),
        Method("ilql", "ILQL", "implicit language Q-learning (offline RL)"),
        Method("nlpo", "NLPO", "natural language policy optimisation"),
        Method("a2c", "A2C", "advantage actor-critic"),
        Method("trpo", "TRPO", "trust region policy optimisation"),
        Method("dpo", "DPO", "direct preference optimisation"),
        Method("lora", "LoRA", "low-rank adaptation (parameter-efficient fine-tuning)"),
    )
}


def parse_methods(value: str | None) -> list[str]:
    """``:methods:``: method ids from :data:`METHODS`, comma separated, each once."""
    found: list[str] = []
    for item in split_list(value):
        method = item.lower()
        if method not in METHODS:
            close = difflib.get_close_matches(method, list(METHODS), n=2, cutoff=0.5)
            hint = "; did you mean " + " or ".join(f"'{name}'" for name in close) + "?" if close else ""
            raise OptionError(f"unknown method {item!r} (known: {', '.join(METHODS)}){hint}")
        if method not in found:
            found.append(method)
    return found


def methods_row(methods: list[str] | None) -> list[tuple[str, list[nodes.Node]]]:
    """The entry's "Methods" row: each method's label, its full name as a tooltip."""
    content: list[nodes.Node] = []
    for index, method_id in enumerate(methods or ()):
        method = METHODS[method_id]
        if index:
            content.append(nodes.Text(", "))
        content.append(nodes.abbreviation(method.label, method.label, explanation=method.name))
    return [("Methods", content)] if content else []

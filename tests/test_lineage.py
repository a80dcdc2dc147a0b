"""The lineage graph: an inline SVG laid out at build time from :base: and typed :derived: edges."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from papernotes.lineage_kinds import KINDS, kind_of
from papernotes.methods import METHODS

from helpers import build, copy_and_build, papernotes_warnings

ROOTS = Path(__file__).parent / "roots"
CSS = Path(__file__).parent.parent / "ext" / "papernotes" / "static" / "papernotes-views.css"
SCHEMA = Path(__file__).parent.parent / "ext" / "papernotes" / "schema" / "papers.schema.json"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    return copy_and_build(tmp_path_factory.mktemp("lineage"), "views")


def page(app: SphinxTestApp, docname: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


PHRASES = "|".join(re.escape(phrase) for kind in KINDS.values() for phrase in {kind.phrase, kind.says("dataset")})
EDGE_TITLE = re.compile(rf"(.+): ({PHRASES}) (.+)")


def graph(svg, *, kinds: bool = False) -> tuple[dict[str, dict], list[tuple[str, ...]]]:
    """The boxes (label -> href, centre, classes) and arrows (parent, derived[, phrase], by label) of a graph."""
    boxes = {}
    for link in svg.select("a.pn-lineage-node"):
        rect = link.find("rect")
        centre = (float(rect["x"]) + float(rect["width"]) / 2, float(rect["y"]) + float(rect["height"]) / 2)
        boxes[link.find("text").get_text()] = {"href": link["href"], "centre": centre, "classes": link["class"]}
    arrows = []
    for path in svg.select("path.pn-lineage-edge"):
        derived, phrase, base = EDGE_TITLE.fullmatch(path.find("title").get_text()).groups()
        arrows.append((base, derived, phrase) if kinds else (base, derived))
    return boxes, arrows


def test_site_wide_graph_shows_the_lines(site):
    svg = page(site, "index").select_one(".pn-lineage svg")
    assert svg is not None and svg.find_parent("script") is None
    boxes, arrows = graph(svg)
    for base, derived in [
        ("LLaMA", "Alpaca"),
        ("Alpaca", "Vicuna"),
        ("GLM", "GLM-130B"),
        ("GLM-130B", "ChatGLM-6B"),
        ("BLOOM", "BLOOMZ"),
        ("BLOOMZ", "BELLE-7B-2M"),
        ("LLaMA", "BELLE-LLaMA-7B-2M"),
    ]:
        assert (base, derived) in arrows
    assert len(arrows) == 8  # the seven above and GPT-3 → InstructGPT
    assert boxes["Vicuna"]["href"] == "chat.html#model-vicuna"
    assert boxes["LLaMA"]["href"] == "families/llama.html#model-llama"


def test_layers_run_left_to_right_and_boxes_do_not_overlap(site):
    svg = page(site, "index").select_one(".pn-lineage svg")
    boxes, _ = graph(svg)
    x = {label: box["centre"][0] for label, box in boxes.items()}
    assert x["LLaMA"] < x["Alpaca"] < x["Vicuna"]
    assert x["GLM"] < x["GLM-130B"] < x["ChatGLM-6B"]
    rects = [
        (float(r["x"]), float(r["y"]), float(r["x"]) + float(r["width"]), float(r["y"]) + float(r["height"]))
        for r in svg.select("a.pn-lineage-node rect")
    ]
    for index, first in enumerate(rects):
        for second in rects[index + 1 :]:
            apart = first[2] <= second[0] or second[2] <= first[0] or first[3] <= second[1] or second[3] <= first[1]
            assert apart, (first, second)
    width, height = (float(value) for value in svg["viewbox"].split()[2:])
    assert all(left >= 0 and right <= width and top >= 0 and bottom <= height for left, top, right, bottom in rects)


def test_family_graph_shows_the_family_and_its_relatives(site):
    overview = page(site, "families/llama").find(id="at-a-glance")
    boxes, arrows = graph(overview.select_one(".pn-lineage svg"))
    assert set(boxes) == {"LLaMA", "Alpaca", "Vicuna", "BELLE-LLaMA-7B-2M"}
    assert "pn-lineage-outside" in boxes["BELLE-LLaMA-7B-2M"]["classes"]
    assert "pn-lineage-outside" not in boxes["Alpaca"]["classes"]
    assert boxes["Vicuna"]["href"] == "../chat.html#model-vicuna"
    assert ("LLaMA", "BELLE-LLaMA-7B-2M") in arrows


def test_colours_come_from_the_theme(site):
    svg = page(site, "index").select_one(".pn-lineage svg")
    for element in svg.find_all(["rect", "path", "text"]):
        assert not element.has_attr("fill") and not element.has_attr("stroke") and not element.has_attr("style")
    css = CSS.read_text(encoding="utf-8")
    for rule in (".pn-lineage-node rect", ".pn-lineage-node text", ".pn-lineage-edge"):
        block = css[css.index(rule) :].split("}", 1)[0]
        assert "var(--color-" in block, rule


def test_a_lineage_loop_is_reported_and_still_drawn(tmp_path):
    app = copy_and_build(tmp_path, "views-cycle")
    assert len(papernotes_warnings(app, "cycle")) == 1
    svg = page(app, "index").select(".pn-lineage svg.pn-lineage-svg")[-1]
    boxes, arrows = graph(svg)
    assert set(boxes) == {"one", "two", "three", "four"}
    assert len(arrows) == 3  # the edge closing the loop is left out of the drawing


def test_every_relation_is_said_in_words(site):
    block = page(site, "index").select_one(".pn-lineage")
    _, arrows = graph(block.select_one("svg"))
    said = [item.get_text() for item in block.select("details.pn-lineage-words ul.pn-lineage-relations li")]
    derived: dict[str, list[str]] = {}
    for base, model in arrows:
        derived.setdefault(model, []).append(f"fine-tuned from {base}")  # this root has :base: only
    assert sorted(said) == sorted(f"{model}: {'; '.join(parents)}." for model, parents in derived.items())
    svg = block.select_one("svg")
    assert svg["aria-describedby"] == svg.find("desc")["id"] and "said in words" in svg.find("desc").get_text()
    assert block.select_one(".pn-lineage-edges")["aria-hidden"] == "true"


def test_the_tab_order_follows_the_drawing(site):
    svg = page(site, "index").select_one(".pn-lineage svg")
    order = list(graph(svg)[0].items())  # in document order, which is the Tab order
    boxes, arrows = graph(svg)
    group: dict[str, str] = {label: label for label in boxes}

    def find(label: str) -> str:
        while group[label] != label:
            label = group[label]
        return label

    for base, model in arrows:
        group[find(base)] = find(model)
    seen: list[str] = []
    for label, _ in order:  # each connected group is walked in one go
        if seen and find(seen[-1]) != find(label):
            assert find(label) not in {find(other) for other in seen}, label
        seen.append(label)
    within = [label for label, _ in order if find(label) == find("LLaMA")]
    assert [boxes[label]["centre"][0] for label in within] == sorted(boxes[label]["centre"][0] for label in within)


def test_the_graph_scrolls_in_a_focusable_labelled_region(site):
    frame = page(site, "index").select_one(".pn-lineage svg").parent
    assert frame.name == "div" and frame["role"] == "region" and frame["tabindex"] == "0"
    assert frame["aria-label"] == "Model lineage (scrolls sideways)"
    css = CSS.read_text(encoding="utf-8")
    rule = css[css.index(".pn-timeline svg {") :].split("}", 1)[0]
    assert "max-width: none" in rule  # never scaled down: labels keep their 13px


# typed lineage (:derived:) -------------------------------------------------------------------------

LINEAGE_ROOT = ROOTS / "test-lineage"


@pytest.fixture(scope="module")
def typed(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    return copy_and_build(tmp_path_factory.mktemp("typed"), "lineage")


def written_edges() -> set[tuple[str, str, str]]:
    """(parent, derived, kind) as the root's pages write them, read from their :derived: and :base: lines."""
    found = set()
    for path in LINEAGE_ROOT.glob("*.md"):
        for entry_id, body in re.findall(r"```\{(?:model|dataset)\} (\S+)\n(.*?)```", path.read_text(), re.DOTALL):
            derived = [
                (parent, entry_id, kind)
                for line in body.splitlines()
                if line.startswith(":derived: ")
                for parent, kind in re.findall(r"(\S+) \(([^,]+),", line.removeprefix(":derived: "))
            ]
            found.update(derived)
            named = {parent for parent, _, _ in derived}
            for line in body.splitlines():
                # :base: is the short form of a fine-tune edge, unless :derived: already names that parent
                if line.startswith(":base: ") and line.split()[1] not in named:
                    found.add((line.split()[1], entry_id, "fine-tune"))
    return found


def test_a_base_the_derived_row_names_is_not_repeated(typed):
    """Alpaca-LoRA's :base: llama is in its "Derived from" row (with how and the evidence): no "Based on" row."""
    rows = {
        page_id: [
            field.get_text(strip=True).rstrip(":") for field in page(typed, "llama").find(id=page_id).select("dt")
        ]
        for page_id in ("model-alpaca-lora", "model-vicuna")
    }
    assert "Derived from" in rows["model-alpaca-lora"] and "Based on" not in rows["model-alpaca-lora"]
    assert "Based on" in rows["model-vicuna"]  # a plain :base: still shows


def test_derived_entries_show_each_parent_kind_and_evidence(typed):
    entry = page(typed, "llama").find(id="model-alpaca")
    row = next(field for field in entry.select("dt") if "Derived from" in field.get_text()).find_next_sibling("dd")
    assert [link.get_text() for link in row.select("a.reference.internal")] == [
        "LLaMA",
        "text-davinci-003",
        "Alpaca 52K",
    ]
    assert [link["href"] for link in row.select("a.pn-evidence")] == [
        "https://example.org/alpaca#training",
        "https://example.org/alpaca#data",
        "https://example.org/alpaca#data",
    ]
    text = row.get_text(" ", strip=True)
    for kind in ("fine-tune", "teacher", "data"):
        assert KINDS[kind].label in text


def test_each_kind_is_drawn_with_its_own_line_and_arrowhead_and_named_in_the_legend(typed):
    block = page(typed, "index").select_one(".pn-lineage")
    svg = block.select_one("svg.pn-lineage-svg")
    drawn: dict[str, tuple[str, str]] = {}
    for path in svg.select("path.pn-lineage-edge"):
        [kind] = [
            name.removeprefix("pn-lineage-kind-") for name in path["class"] if name.startswith("pn-lineage-kind-")
        ]
        marker = svg.find("marker", id=path["marker-end"][5:-1])
        drawn[kind] = (path.get("stroke-dasharray", ""), marker.find("path")["d"] + str(marker.find("path")["class"]))
    assert set(drawn) == {"fine-tune", "teacher", "data", "lora", "quantised"}
    assert len(set(drawn.values())) == len(drawn)  # line style and arrowhead differ for every kind
    assert len({marker for _, marker in drawn.values()}) == len(drawn)  # the arrowhead alone tells them apart
    legend = block.select("ul.pn-lineage-kinds li")
    assert [item.get_text(strip=True) for item in legend] == [KINDS[kind].label for kind in KINDS if kind in drawn]
    for item in legend:
        sample = item.select_one("svg path.pn-lineage-sample")
        kind = next(name.removeprefix("pn-lineage-kind-") for name in item["class"] if name != "pn-lineage-kind")
        assert sample.get("stroke-dasharray", "") == drawn[kind][0]
    assert "Pill-shaped boxes are datasets" in block.select_one(".pn-lineage-legend").get_text()


def test_a_model_with_several_parents_is_drawn_right_of_each(typed):
    svg = page(typed, "index").select_one(".pn-lineage svg.pn-lineage-svg")
    boxes, arrows = graph(svg, kinds=True)
    parents = {(base, phrase) for base, derived, phrase in arrows if derived == "Alpaca"}
    assert parents == {
        ("LLaMA", "fine-tuned from"),
        ("text-davinci-003", "trained on outputs of"),
        ("Alpaca 52K", "trained on"),
    }
    for base, _ in parents:
        assert boxes[base]["centre"][0] < boxes["Alpaca"]["centre"][0]
    assert (
        "pn-lineage-dataset" in boxes["Alpaca 52K"]["classes"]
        and "pn-lineage-dataset" not in boxes["Alpaca"]["classes"]
    )
    assert ("text-davinci-003", "Alpaca 52K", "generated with") in arrows
    assert len(arrows) == len(written_edges())


def test_every_edge_is_said_in_words_with_its_evidence(typed):
    block = page(typed, "index").select_one(".pn-lineage")
    words = block.select_one("details.pn-lineage-words")
    assert "7 relations" in words.find("summary").get_text()
    items = {item.get_text().split(":")[0]: item for item in words.select("li")}
    alpaca = items["Alpaca"]
    assert alpaca.get_text() == (
        "Alpaca: fine-tuned from LLaMA (evidence); trained on outputs of text-davinci-003 (evidence); "
        "trained on Alpaca 52K (evidence)."
    )
    assert [link["href"] for link in alpaca.select("a")] == [
        "https://example.org/alpaca#training",
        "https://example.org/alpaca#data",
        "https://example.org/alpaca#data",
    ]
    assert items["Vicuna"].get_text() == "Vicuna: fine-tuned from LLaMA." and not items["Vicuna"].select("a")
    _, arrows = graph(block.select_one("svg.pn-lineage-svg"))
    assert sum(item.get_text().count(";") + 1 for item in items.values()) == len(arrows)


def test_papers_json_lists_the_edges_and_the_schema_describes_them(typed):

    export = json.loads((Path(typed.outdir) / "papers.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(export)
    assert schema["$defs"]["edge"]["properties"]["kind"]["enum"] == list(KINDS)
    got = {(edge["source"], edge["target"], edge["kind"]) for edge in export["edges"]}
    assert got == {(parent, child, kind_of(kind).id) for parent, child, kind in written_edges()}
    assert all(edge["evidence"].startswith("https://") for edge in export["edges"] if edge["target"] != "vicuna")
    assert not any("evidence" in edge for edge in export["edges"] if edge["target"] == "vicuna")  # :base: has none
    teacher = next(edge for edge in export["edges"] if edge["target"] == "alpaca-52k")
    assert (teacher["source_type"], teacher["target_type"], teacher["kind"]) == ("model", "dataset", "teacher")
    alpaca = next(entry for entry in export["entries"] if entry["id"] == "alpaca")
    assert alpaca["related"]["base"] == ["llama"]  # the teacher and the data are parents, not bases
    broken = json.loads(json.dumps(export))
    broken["edges"][0]["evidence"] = "http://example.org/"
    broken["edges"][1]["kind"] = "vibes"
    assert len(list(jsonschema.Draft202012Validator(schema).iter_errors(broken))) == 2


BAD_LINEAGE = """
```{model} typo-kind
:derived: llama (fine-tuen, https://example.org/a)
```

```{model} typo-parent
:derived: lamma (lora, https://example.org/b)
```

```{model} plain-http
:derived: llama (lora, http://example.org/c)
```

```{model} no-evidence
:derived: llama (rlhf)
```

```{dataset} wrong-kind
:derived: llama (lora, https://example.org/d)
```

```{model} not-an-item
:derived: llama, lora
```

```{model} loop-one
:derived: loop-two (merged, https://example.org/e)
```

```{model} loop-two
:derived: loop-one (fine-tune, https://example.org/f)
```
"""


def test_each_lineage_mistake_is_one_located_warning(tmp_path):
    srcdir = tmp_path / "bad"
    shutil.copytree(LINEAGE_ROOT, srcdir)
    with (srcdir / "llama.md").open("a", encoding="utf-8") as page_file:
        page_file.write(BAD_LINEAGE)
    app = build(srcdir)
    text = (srcdir / "llama.md").read_text(encoding="utf-8").splitlines()

    def line_of(entry_id: str) -> int:
        return next(number for number, line in enumerate(text, 1) if line.endswith(f" {entry_id}"))

    expected = {
        "lineage": [
            ("typo-kind", "unknown kind 'fine-tuen' for 'llama'", "did you mean 'fine-tune'"),
            ("wrong-kind", "a dataset cannot be derived by 'lora'", ""),
            ("not-an-item", "is not written 'parent-id (kind, https://evidence)'", ""),
        ],
        "relation": [("typo-parent", ":derived: names no model with id 'lamma'", "did you mean 'llama'")],
        "evidence": [
            ("plain-http", "evidence 'http://example.org/c' is not an https link", ""),
            ("no-evidence", "needs an evidence link", ""),
        ],
        "cycle": [("loop-one", "loop-one → loop-two → loop-one", "")],
    }
    for subtype, cases in expected.items():
        found = papernotes_warnings(app, subtype)
        assert len(found) == len(cases), found
        for entry_id, words, hint in cases:
            [line] = [line for line in found if f"llama.md:{line_of(entry_id)}: WARNING:" in line]
            assert words in line and hint in line, line
    assert "Traceback" not in app.warning.getvalue()


# the method matrix -------------------------------------------------------------------------------


def written_methods() -> dict[str, list[str]]:
    """Repository name -> its :methods:, as the root's pages write them."""
    text = (LINEAGE_ROOT / "rlhf.md").read_text(encoding="utf-8")
    return {
        name: [item.strip() for item in methods.split(",")]
        for name, methods in re.findall(r":name: (.+)\n:methods: (.+)\n", text)
    }


def matrix(table) -> dict[tuple[str, str], str]:
    """(method, repository) -> the href of the ticked cell."""
    columns = [cell.get_text(strip=True) for cell in table.select("thead th")][1:]
    ticked = {}
    for row in table.select("tbody tr"):
        method = row.find("th").get_text(strip=True)
        for column, cell in zip(columns, row.find_all("td"), strict=True):
            if cell.find("a"):
                ticked[method, column] = cell.find("a")["href"]
    return ticked


def test_the_method_matrix_ticks_what_each_repository_says(typed):
    table = page(typed, "index").select_one(".pn-matrix table")
    assert table.find("caption").get_text(strip=True).startswith("Methods by library")
    assert [cell.get_text(strip=True) for cell in table.select("thead th")] == ["Method", "TRL", "trlX"]
    expected = {
        (METHODS[method].label, name): "rlhf.html#repo-" + {"TRL": "huggingface-trl", "trlX": "carperai-trlx"}[name]
        for name, methods in written_methods().items()
        for method in methods
    }
    assert matrix(table) == expected
    assert all(cell.name == "th" for cell in table.select("tbody tr > :first-child"))  # row headers
    assert table.find_parent(attrs={"role": "region"})["tabindex"] == "0"
    narrowed = page(typed, "rlhf").select_one(".pn-matrix table")
    assert [row.find("th").get_text(strip=True) for row in narrowed.select("tbody tr")] == ["PPO", "ILQL"]


def test_methods_are_checked(tmp_path):
    srcdir = tmp_path / "bad-methods"
    shutil.copytree(LINEAGE_ROOT, srcdir)
    text = (srcdir / "rlhf.md").read_text(encoding="utf-8")
    (srcdir / "rlhf.md").write_text(text.replace(":methods: ppo, ilql\n", ":methods: ppo, ilq\n", 1), encoding="utf-8")
    app = build(srcdir)
    [found] = papernotes_warnings(app, "value")
    assert "rlhf.md:" in found and "unknown method 'ilq'" in found and "did you mean 'ilql'" in found


def test_the_matrix_follows_an_edit_of_another_page(tmp_path):
    srcdir = tmp_path / "edit"
    shutil.copytree(LINEAGE_ROOT, srcdir)
    build(srcdir)
    text = (srcdir / "rlhf.md").read_text(encoding="utf-8")
    (srcdir / "rlhf.md").write_text(text.replace(":methods: ppo, ilql\n", ":methods: ppo, nlpo\n", 1), encoding="utf-8")
    rebuilt = build(srcdir, fresh=False)
    ticked = matrix(page(rebuilt, "index").select_one(".pn-matrix table"))
    assert ("NLPO", "trlX") in ticked and ("ILQL", "trlX") not in ticked

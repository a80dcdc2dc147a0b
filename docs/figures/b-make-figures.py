"""Draw the GLM, Kosmos-1, RWKV and xP3 figures of the family pages as plain SVG files.

Regenerate them from the repository root with::

    python docs/figures/b-make-figures.py

Why a script and not a drawing program: the figures are diagrams of token sequences, so their
boxes follow from the sequences; a reader who spots a wrong position id fixes one list here and
re-runs the script. Every figure sits on its own light, rounded card so it stays readable when
furo shows the page in dark mode (an SVG shown with ``<img>`` does not follow the page's theme).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SVG_NS = "http://www.w3.org/2000/svg"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
INK = "#1f2328"
MUTED = "#57606a"

#: fill and stroke per kind of token box
STYLES: dict[str, tuple[str, str]] = {
    "text": ("#f6f8fa", "#8c959f"),
    "span1": ("#fde68a", "#b45309"),
    "span2": ("#bbf7d0", "#15803d"),
    "mask": ("#e5e7eb", "#4b5563"),
    "special": ("#ede9fe", "#6d28d9"),
    "image": ("#fbcfe8", "#be185d"),
    "partA": ("#dbeafe", "#1d4ed8"),
    "block": ("#e0f2fe", "#0369a1"),
    "state": ("#fef3c7", "#b45309"),
    "none": ("#ffffff", "#d0d7de"),
}


@dataclass
class Canvas:
    """An SVG document under construction, with helpers for the shapes the figures use."""

    width: int
    height: int
    title: str

    def __post_init__(self) -> None:
        ET.register_namespace("", SVG_NS)
        self.root = ET.Element(
            "svg",
            {
                "xmlns": SVG_NS,
                "width": str(self.width),
                "height": str(self.height),
                "viewBox": f"0 0 {self.width} {self.height}",
                "role": "img",
                "font-family": FONT,
            },
        )
        ET.SubElement(self.root, "title").text = self.title
        defs = ET.SubElement(self.root, "defs")
        marker = ET.SubElement(
            defs,
            "marker",
            {
                "id": "arrow",
                "viewBox": "0 0 10 10",
                "refX": "9",
                "refY": "5",
                "markerWidth": "7",
                "markerHeight": "7",
                "orient": "auto-start-reverse",
            },
        )
        ET.SubElement(marker, "path", {"d": "M 0 0 L 10 5 L 0 10 z", "fill": MUTED})
        # The card: a light background of its own, so dark page themes do not swallow the ink.
        self.rect(1, 1, self.width - 2, self.height - 2, "#ffffff", "#d0d7de", radius=14)

    def rect(self, x: float, y: float, w: float, h: float, fill: str, stroke: str, radius: float = 5) -> None:
        """A rounded rectangle."""
        ET.SubElement(
            self.root,
            "rect",
            {
                "x": f"{x:g}",
                "y": f"{y:g}",
                "width": f"{w:g}",
                "height": f"{h:g}",
                "rx": f"{radius:g}",
                "fill": fill,
                "stroke": stroke,
                "stroke-width": "1.2",
            },
        )

    def text(
        self,
        x: float,
        y: float,
        content: str,
        size: int = 13,
        anchor: str = "start",
        weight: str = "normal",
        color: str = INK,
        italic: bool = False,
    ) -> None:
        """A line of text; ``y`` is its baseline."""
        attributes = {
            "x": f"{x:g}",
            "y": f"{y:g}",
            "font-size": str(size),
            "text-anchor": anchor,
            "font-weight": weight,
            "fill": color,
        }
        if italic:
            attributes["font-style"] = "italic"
        ET.SubElement(self.root, "text", attributes).text = content

    def token(self, x: float, y: float, label: str, kind: str = "text", w: float = 46, h: float = 30) -> None:
        """One token as a labelled box."""
        fill, stroke = STYLES[kind]
        self.rect(x, y, w, h, fill, stroke)
        self.text(x + w / 2, y + h / 2 + 5, label, size=13, anchor="middle")

    def arrow(self, x1: float, y1: float, x2: float, y2: float, dashed: bool = False) -> None:
        """A straight arrow from (x1, y1) to (x2, y2)."""
        attributes = {
            "x1": f"{x1:g}",
            "y1": f"{y1:g}",
            "x2": f"{x2:g}",
            "y2": f"{y2:g}",
            "stroke": MUTED,
            "stroke-width": "1.5",
            "marker-end": "url(#arrow)",
        }
        if dashed:
            attributes["stroke-dasharray"] = "5 4"
        ET.SubElement(self.root, "line", attributes)

    def write(self, name: str) -> None:
        """Save the figure next to this script."""
        tree = ET.ElementTree(self.root)
        ET.indent(tree)
        tree.write(HERE / name, encoding="unicode", xml_declaration=False)
        with (HERE / name).open("a", encoding="utf-8") as handle:
            handle.write("\n")


def glm_attention_mask(canvas: Canvas, labels: list[str]) -> None:
    """Panel (d) of the GLM figure: which token may attend to which (rows are queries)."""
    # (d) the attention mask: rows are queries, columns are keys
    canvas.text(20, 362, "(d) Self-attention mask (row attends to column)", weight="bold")
    cell = 20
    grid_x, grid_y = 130, 392
    for index, label in enumerate(labels):
        canvas.text(grid_x + index * cell + cell / 2, grid_y - 6, label, size=9, anchor="middle", color=MUTED)
        canvas.text(grid_x - 6, grid_y + index * cell + 14, label, size=9, anchor="end", color=MUTED)
    for row in range(10):
        for column in range(10):
            if column <= 4:
                kind = "partA"
            elif row >= 5 and column <= row:
                kind = "special"
            else:
                kind = "none"
            fill, stroke = STYLES[kind]
            canvas.rect(grid_x + column * cell, grid_y + row * cell, cell, cell, fill, stroke, radius=0)
    notes = [
        "Blue: every token sees all of Part A,",
        "so the corrupted text is encoded",
        "bidirectionally, as in BERT.",
        "",
        "Purple: a Part B token sees only the",
        "Part B tokens before it, so spans are",
        "generated left to right, as in GPT.",
        "White: masked out.",
        "",
        "Shuffling the spans lets each span",
        "condition on the others in any order.",
        "",
        "GLM-130B mixes two blank types:",
        "[MASK] short spans (30% of tokens)",
        "and [gMASK] one long suffix (70%).",
    ]
    for index, line in enumerate(notes):
        canvas.text(370, 404 + index * 15, line, size=12)


def glm_blank_infilling() -> None:
    """GLM's objective on x1..x6 with spans [x3] and [x5 x6], following the GLM paper's example."""
    canvas = Canvas(720, 640, "GLM autoregressive blank infilling")
    pitch = 52
    # (a) the original text with two spans picked out
    canvas.text(20, 30, "(a) Original text: two spans are sampled", weight="bold")
    original = [("x₁", "text"), ("x₂", "text"), ("x₃", "span1"), ("x₄", "text"), ("x₅", "span2"), ("x₆", "span2")]
    for index, (label, kind) in enumerate(original):
        canvas.token(40 + index * pitch, 42, label, kind)

    # (b) Part A (corrupted text) and Part B (the spans, shuffled)
    canvas.text(20, 104, "(b) Part A: each span becomes one [M]", weight="bold")
    part_a = [("x₁", "text"), ("x₂", "text"), ("[M]", "mask"), ("x₄", "text"), ("[M]", "mask")]
    for index, (label, kind) in enumerate(part_a):
        canvas.token(40 + index * pitch, 116, label, kind)
    canvas.text(380, 104, "Part B: the spans, in shuffled order", weight="bold")
    part_b = [("[S]", "special"), ("x₅", "span2"), ("x₆", "span2"), ("[S]", "special"), ("x₃", "span1")]
    for index, (label, kind) in enumerate(part_b):
        canvas.token(380 + index * pitch, 116, label, kind)

    # (c) the single sequence the model reads, its targets and its two position ids
    canvas.text(20, 182, "(c) The model reads Part A then Part B and predicts each span token by token", weight="bold")
    left = 130
    sequence = part_a + part_b
    targets = ["", "", "", "", "", "x₅", "x₆", "[E]", "x₃", "[E]"]
    position_1 = [1, 2, 3, 4, 5, 5, 5, 5, 3, 3]
    position_2 = [0, 0, 0, 0, 0, 1, 2, 3, 1, 2]
    canvas.text(20, 214, "target", size=12, color=MUTED)
    canvas.text(20, 250, "input", size=12, color=MUTED)
    canvas.text(20, 284, "position 1", size=12, color=MUTED)
    canvas.text(20, 306, "position 2", size=12, color=MUTED)
    for index, (label, kind) in enumerate(sequence):
        x = left + index * pitch
        if targets[index]:
            target_kind = "span2" if index in (5, 6) else "span1" if index == 8 else "special"
            canvas.token(x + 5, 194, targets[index], target_kind, w=36, h=26)
            canvas.arrow(x + 23, 232, x + 23, 222)
        canvas.token(x, 232, label, kind)
        canvas.text(x + 23, 284, str(position_1[index]), size=13, anchor="middle")
        canvas.text(x + 23, 306, str(position_2[index]), size=13, anchor="middle")
    divider = left + 5 * pitch - 3
    ET.SubElement(
        canvas.root,
        "line",
        {
            "x1": f"{divider}",
            "y1": "190",
            "x2": f"{divider}",
            "y2": "314",
            "stroke": MUTED,
            "stroke-dasharray": "4 3",
        },
    )
    canvas.text(left + 2.5 * pitch - 3, 330, "Part A", size=12, anchor="middle", color=MUTED)
    canvas.text(left + 7.5 * pitch - 3, 330, "Part B", size=12, anchor="middle", color=MUTED)

    glm_attention_mask(canvas, [label for label, _ in sequence])
    canvas.write("b-glm-blank-infilling.svg")


def kosmos_interleaved_input() -> None:
    """Kosmos-1's input: text tokens and image embeddings in one sequence, framed by special tokens."""
    canvas = Canvas(760, 420, "Kosmos-1 interleaved image and text input")
    # the image and its encoder
    canvas.rect(30, 28, 110, 86, "#fce7f3", "#be185d", radius=8)
    canvas.text(85, 66, "image", size=14, anchor="middle", weight="bold")
    canvas.text(85, 86, "224 × 224", size=12, anchor="middle", color=MUTED)
    canvas.arrow(142, 71, 186, 71)
    canvas.rect(188, 40, 170, 62, STYLES["block"][0], STYLES["block"][1], radius=8)
    canvas.text(273, 66, "CLIP ViT-L/14", size=13, anchor="middle", weight="bold")
    canvas.text(273, 86, "(frozen except its last layer)", size=11, anchor="middle", color=MUTED)
    canvas.arrow(360, 71, 404, 71)
    canvas.rect(406, 40, 230, 62, STYLES["block"][0], STYLES["block"][1], radius=8)
    canvas.text(521, 66, "Resampler (attentive pooling)", size=13, anchor="middle", weight="bold")
    canvas.text(521, 86, "→ a fixed set of image embeddings", size=11, anchor="middle", color=MUTED)

    # the interleaved sequence
    canvas.text(30, 160, "One input sequence (a web document, a caption pair or plain text):", weight="bold")
    sequence = [
        ("<s>", "special", 46),
        ("A", "text", 40),
        ("photo", "text", 58),
        ("of", "text", 40),
        ("<image>", "special", 70),
        ("e₁ … eₙ", "image", 96),
        ("</image>", "special", 76),
        ("a", "text", 40),
        ("dog", "text", 46),
        ("…", "text", 40),
        ("</s>", "special", 52),
    ]
    x = 30
    centres: dict[str, float] = {}
    for label, kind, width in sequence:
        canvas.token(x, 176, label, kind, w=width)
        centres[label] = x + width / 2
        x += width + 8
    canvas.arrow(521, 104, centres["e₁ … eₙ"], 174, dashed=True)

    # the decoder and the objective
    canvas.rect(30, 236, 700, 70, STYLES["block"][0], STYLES["block"][1], radius=10)
    canvas.text(380, 264, "Causal Transformer decoder (24 layers, 2,048 wide, about 1.3B parameters)", anchor="middle")
    canvas.text(
        380,
        288,
        "Magneto initialisation and sub-LayerNorm · xPos relative positions",
        size=12,
        anchor="middle",
        color=MUTED,
    )
    for label, _, _ in sequence:
        canvas.arrow(centres[label], 208, centres[label], 234)
    canvas.text(30, 338, "Training signal: next-token prediction on the text tokens only;", size=13)
    canvas.text(30, 358, "image embeddings are read as context but never predicted.", size=13)
    canvas.text(
        30,
        390,
        "Special tokens: <s> … </s> bound the sequence, <image> … </image> bound each image.",
        size=12,
        color=MUTED,
    )
    canvas.write("b-kosmos-interleaved-input.svg")


def rwkv_time_mixing() -> None:
    """RWKV-4's time mixing as a recurrence: a decayed numerator and denominator carried as state."""
    canvas = Canvas(760, 400, "RWKV time-mixing recurrence")
    # token shift: mix x_t with x_{t-1}
    canvas.token(30, 40, "xₜ₋₁", "text", w=60)
    canvas.token(30, 110, "xₜ", "text", w=60)
    canvas.rect(130, 60, 150, 70, STYLES["block"][0], STYLES["block"][1], radius=8)
    canvas.text(205, 88, "token shift", size=13, anchor="middle", weight="bold")
    canvas.text(205, 108, "μ·xₜ + (1−μ)·xₜ₋₁", size=12, anchor="middle")
    canvas.arrow(92, 55, 128, 80)
    canvas.arrow(92, 125, 128, 110)
    # r, k, v projections
    for label, y in (("rₜ", 40), ("kₜ", 95), ("vₜ", 150)):
        canvas.token(330, y, label, "partA", w=52)
        canvas.arrow(282, 95, 328, y + 15)
    # the WKV cell with its state
    canvas.rect(430, 80, 190, 100, STYLES["state"][0], STYLES["state"][1], radius=10)
    canvas.text(525, 104, "WKV with state (aₜ, bₜ)", size=13, anchor="middle", weight="bold")
    canvas.text(525, 128, "wkvₜ = (aₜ₋₁ + e^(u+kₜ)·vₜ)", size=12, anchor="middle")
    canvas.text(525, 146, "÷ (bₜ₋₁ + e^(u+kₜ))", size=12, anchor="middle")
    canvas.text(525, 168, "current token gets bonus u", size=11, anchor="middle", color=MUTED)
    canvas.arrow(384, 110, 428, 118)
    canvas.arrow(384, 165, 428, 150)
    # output gate
    canvas.rect(430, 16, 190, 44, "#dcfce7", "#15803d", radius=8)
    canvas.text(525, 43, "oₜ = W_o · (σ(rₜ) ⊙ wkvₜ)", size=13, anchor="middle")
    canvas.arrow(384, 55, 428, 40)
    canvas.arrow(525, 80, 525, 62)
    canvas.arrow(622, 38, 680, 38)
    canvas.text(700, 43, "oₜ", size=14, anchor="middle", weight="bold")
    # the state update, carried to the next token
    canvas.rect(430, 230, 300, 62, STYLES["state"][0], STYLES["state"][1], radius=8)
    canvas.text(580, 254, "aₜ = e^(−w)·aₜ₋₁ + e^(kₜ)·vₜ", size=13, anchor="middle")
    canvas.text(580, 276, "bₜ = e^(−w)·bₜ₋₁ + e^(kₜ)", size=13, anchor="middle")
    canvas.arrow(525, 182, 525, 228)
    canvas.arrow(732, 262, 748, 262, dashed=True)
    canvas.text(420, 258, "state update, passed on", size=12, anchor="end", color=MUTED)
    canvas.text(420, 274, "to token t+1", size=12, anchor="end", color=MUTED)
    notes = [
        "w: a learned per-channel decay, so old tokens fade at a fixed, trainable rate;",
        "training unrolls the same sums over the whole sequence in parallel (like a Transformer),",
        "inference keeps only (aₜ, bₜ) per channel: constant memory and time per token (like an RNN).",
    ]
    for index, line in enumerate(notes):
        canvas.text(30, 330 + index * 20, line, size=12)
    canvas.write("b-rwkv-time-mixing.svg")


def xp3_variants() -> None:
    """The three fine-tuning mixtures of the BLOOMZ paper on one paraphrase example, then the pipeline."""
    canvas = Canvas(760, 430, "Crosslingual multitask fine-tuning: P3, xP3 and xP3mt")
    cards = [
        (
            "P3",
            "English data, English prompt",
            ["Sentence 1: He was an academic", "in metaphysical literature …", "Sentence 2: He was an academic …"],
            ["Question: Can we rewrite", "Sentence 1 to Sentence 2?", "Yes or No?"],
            "Yes",
        ),
        (
            "xP3",
            "46 languages, English prompt",
            ["Sentence 1: Fue académico en", "literatura metafísica …", "Sentence 2: Fue académico …"],
            ["Question: Can we rewrite", "Sentence 1 to Sentence 2?", "Yes or No?"],
            "Yes",
        ),
        (
            "xP3mt",
            "46 languages, translated prompt",
            ["Oración 1: Fue académico en", "literatura metafísica …", "Oración 2: Fue académico …"],
            ["Pregunta: ¿Podemos reescribir", "la oración 1 como la oración 2?", "¿Sí o No?"],
            "Sí",
        ),
    ]
    for index, (name, subtitle, data, prompt, target) in enumerate(cards):
        x = 20 + index * 245
        canvas.rect(x, 20, 230, 222, "#f6f8fa", "#8c959f", radius=10)
        canvas.text(x + 12, 42, name, size=14, weight="bold")
        canvas.text(x + 12, 60, subtitle, size=11, color=MUTED)
        for line_index, line in enumerate(data):
            canvas.text(x + 12, 84 + line_index * 16, line, size=11, color="#1d4ed8")
        for line_index, line in enumerate(prompt):
            canvas.text(x + 12, 140 + line_index * 16, line, size=11, color="#6d28d9", weight="bold")
        canvas.text(x + 12, 206, "target:", size=11, color=MUTED)
        canvas.token(x + 62, 190, target, "span2", w=44, h=24)
    canvas.text(
        20, 262, "Blue: the example's input text.  Purple: the instruction.  (Example after the paper's", size=11
    )
    canvas.text(20, 277, "PAWS-X illustration; the Spanish prompt wording here is ours.)", size=11, color=MUTED)
    # the pipeline
    canvas.rect(20, 300, 200, 60, STYLES["block"][0], STYLES["block"][1], radius=8)
    canvas.text(120, 325, "BLOOM (560M–176B)", size=13, anchor="middle", weight="bold")
    canvas.text(120, 344, "mT5 (300M–13B)", size=12, anchor="middle")
    canvas.arrow(222, 330, 278, 330)
    canvas.rect(280, 300, 200, 60, STYLES["state"][0], STYLES["state"][1], radius=8)
    canvas.text(380, 325, "multitask fine-tuning", size=13, anchor="middle", weight="bold")
    canvas.text(380, 344, "on P3, xP3 or xP3mt", size=12, anchor="middle")
    canvas.arrow(482, 330, 538, 330)
    canvas.rect(540, 300, 200, 60, "#dcfce7", "#15803d", radius=8)
    canvas.text(640, 325, "BLOOMZ, mT0", size=13, anchor="middle", weight="bold")
    canvas.text(640, 344, "(-P3, plain, -MT variants)", size=12, anchor="middle")
    canvas.text(
        20,
        392,
        "Evaluated zero-shot on held-out tasks (coreference, NLI, sentence completion) in many languages,",
        size=12,
    )
    canvas.text(20, 410, "including languages the model saw only in pre-training.", size=12)
    canvas.write("b-xp3-variants.svg")


def main() -> None:
    """Write every figure."""
    glm_blank_infilling()
    kosmos_interleaved_input()
    rwkv_time_mixing()
    xp3_variants()


if __name__ == "__main__":
    main()

"""Run the analysis over labelled calls (shared/eval format) and compute per-label metrics and timings."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from assistant.analysis.analyzer import AnalyzerOptions, CallAnalyzer
from assistant.analysis.types import AsrInfo
from assistant.errors import AnalysisError

LABEL_FIELDS = ("question", "summary", "lang", "frustration")
CALL_FLAGS = ("language_barrier", "health_barrier", "threat", "method_suitable")


def load_call(path: Path) -> dict:
    """Read one call file (JSON) and check its shape.

    Raises:
        AnalysisError: when the file cannot be read or has no turns.
    """
    try:
        call = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise AnalysisError(f"Kan ikke læse opkaldet {path}: {err}", code="analysis-bad-input") from err
    if not isinstance(call, dict) or not isinstance(call.get("turns"), list):
        raise AnalysisError(f"{path}: mangler 'turns'", code="analysis-bad-input")
    return call


def analyze_call(call: dict, *, options: AnalyzerOptions | None = None,
                 timings: list[float] | None = None, cpu_timings: list[float] | None = None) -> dict:
    """Analyse one call, ignoring every label field, and return the JSON Lines record for it.

    Args:
        call: A call in the schema's format (labels are never read).
        options: Analyser options.
        timings: When given, the seconds spent per utterance (wall clock) are appended to it.
        cpu_timings: When given, the CPU seconds per utterance (this thread) are appended to it; unlike the
            wall clock they do not grow when other processes compete for the CPU.

    Returns:
        ``{"id", "turns", "call"}`` as documented for ``assistant analyze``.
    """
    analyzer = CallAnalyzer.create(options)
    for turn in call["turns"]:
        asr = turn.get("asr")
        info = AsrInfo.model_validate(asr) if isinstance(asr, dict) else None
        start, cpu_start = time.perf_counter(), time.thread_time()
        analyzer.add_turn(turn.get("speaker", "unknown"), turn.get("text", ""), asr=info)
        if timings is not None:
            timings.append(time.perf_counter() - start)
        if cpu_timings is not None:
            cpu_timings.append(time.thread_time() - cpu_start)
    return result_record(call.get("id"), analyzer)


def result_record(call_id, analyzer: CallAnalyzer) -> dict:
    """The JSON-ready record of an analysed call."""
    state = analyzer.result()
    turns = []
    for t in state.turns:
        row: dict = {"index": t.index, "speaker": t.speaker}
        if t.speaker in ("caseworker", "unknown"):
            row["question"] = t.question
            row["summary"] = bool(t.summary)
        if t.speaker in ("citizen", "unknown"):
            row["frustration"] = t.frustration
            row["lang"] = t.lang
            row["evidence"] = t.evidence
        turns.append(row)
    c = state.call
    return {
        "id": call_id,
        "turns": turns,
        "call": {
            "complaint_points": [{"category": p.category, "gist": p.gist, "turns": p.turns}
                                 for p in c.complaint_points],
            "complaint_kind": c.complaint_kind or "formalitet",
            "frustration_peak": c.frustration_peak,
            "language_barrier": c.language_barrier,
            "health_barrier": c.health_barrier,
            "threat": c.threat,
            "method_suitable": c.method_suitable,
            "assessment": {"level": state.assessment.level, "reasons": state.assessment.reasons},
            "suggestions": [{"kind": s.kind, "text": s.text} for s in state.suggestions],
        },
    }


@dataclass
class Binary:
    """Counts for one binary label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, gold: bool, pred: bool) -> None:
        if gold and pred:
            self.tp += 1
        elif pred:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    def as_dict(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        n = self.tp + self.fp + self.fn + self.tn
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                "accuracy": round((self.tp + self.tn) / n, 3) if n else 0.0, "support": self.tp + self.fn, "n": n}


@dataclass
class EvalReport:
    """Metrics over one directory of calls."""

    name: str
    calls: int = 0
    metrics: dict = field(default_factory=dict)
    confusion: dict = field(default_factory=dict)
    timing_ms: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    by_writer: dict[str, "EvalReport"] = field(default_factory=dict)


def _confusion(pairs: list[tuple], labels: list) -> dict:
    counts = Counter(pairs)
    return {"labels": [str(x) for x in labels],
            "rows": [[counts[(g, p)] for p in labels] for g in labels]}


def evaluate_dir(directory: Path, *, options: AnalyzerOptions | None = None, name: str | None = None,
                 only_writers: set[str] | None = None) -> EvalReport:
    """Analyse every ``*.json`` call in a directory and score it against its labels, overall and per writer.

    Args:
        directory: Folder of labelled calls (shared/eval format).
        options: Analyser options.
        name: Report name (the folder name by default).
        only_writers: When given, only calls whose id prefix is one of these (leave-one-writer-out).

    Returns:
        The report with per-label metrics, confusion tables, per-utterance timings and one report per writer
        (the id prefix: ``tra``, ``vae``...).

    Raises:
        AnalysisError: when the folder holds no calls.
    """
    files = sorted(Path(directory).glob("*.json"))
    if not files:
        raise AnalysisError(f"Ingen opkald (*.json) i {directory}", code="analysis-no-calls")
    timings: list[float] = []
    cpu_timings: list[float] = []
    analysed = []
    for path in files:
        call = load_call(path)
        if only_writers is not None and writer_of(call) not in only_writers:
            continue
        analysed.append((call, analyze_call(call, options=options, timings=timings, cpu_timings=cpu_timings)))
    report = score_calls(name or Path(directory).name, analysed)
    report.timing_ms = _percentiles(timings)
    cpu = _percentiles(cpu_timings)
    if cpu:
        report.timing_ms.update({"cpu_p50": cpu["p50"], "cpu_p95": cpu["p95"]})
    writers = sorted({writer_of(call) for call, _ in analysed})
    report.by_writer = {w: score_calls(w, [(c, r) for c, r in analysed if writer_of(c) == w]) for w in writers}
    return report


def writer_of(call: dict) -> str:
    """Who wrote a labelled call: the prefix of its id (``dev``, ``tra``, ``vae``)."""
    return str(call.get("id") or "?").split("-", 1)[0]


def score_calls(name: str, analysed: list[tuple[dict, dict]]) -> EvalReport:
    """Score analysed calls (each with its analysis record) against their labels."""
    report = EvalReport(name=name)
    frus2, summ, lang_other = Binary(), Binary(), Binary()
    flags = {k: Binary() for k in CALL_FLAGS}
    q_pairs, f_pairs, kind_pairs, peak_pairs = [], [], [], []
    count_exact = count_pm1 = 0
    cat_tp = cat_fp = cat_fn = 0
    for call, record in analysed:
        report.calls += 1
        labels = call.get("labels", {})
        for gold, pred in zip(call["turns"], record["turns"]):
            if gold["speaker"] == "caseworker" and "question" in gold:
                q_pairs.append((gold["question"], pred.get("question")))
                summ.add(bool(gold.get("summary")), bool(pred.get("summary")))
            elif gold["speaker"] == "citizen" and "frustration" in gold:
                f_pairs.append((gold["frustration"], pred.get("frustration")))
                frus2.add(gold["frustration"] >= 2, (pred.get("frustration") or 0) >= 2)
                lang_other.add(gold.get("lang", "da") != "da", pred.get("lang", "da") != "da")
        pc = record["call"]
        gold_points = labels.get("complaint_points", [])
        diff = len(pc["complaint_points"]) - len(gold_points)
        count_exact += diff == 0
        count_pm1 += abs(diff) <= 1
        g = Counter(p["category"] for p in gold_points)
        p = Counter(x["category"] for x in pc["complaint_points"])
        tp = sum((g & p).values())
        cat_tp += tp
        cat_fp += sum(p.values()) - tp
        cat_fn += sum(g.values()) - tp
        if "complaint_kind" in labels:
            kind_pairs.append((labels["complaint_kind"], pc["complaint_kind"]))
        if "frustration_peak" in labels:
            peak_pairs.append((labels["frustration_peak"], pc["frustration_peak"]))
        for key in CALL_FLAGS:
            if key in labels:
                flags[key].add(bool(labels[key]), bool(pc[key]))
                if bool(labels[key]) != bool(pc[key]):
                    report.errors.append(f"{call.get('id')}: {key} gold={labels[key]} pred={pc[key]}")
        if diff:
            report.errors.append(f"{call.get('id')}: points gold={sorted(g.elements())} "
                                 f"pred={sorted(p.elements())}")
    n = report.calls or 1
    cp = cat_tp / (cat_tp + cat_fp) if cat_tp + cat_fp else 0.0
    cr = cat_tp / (cat_tp + cat_fn) if cat_tp + cat_fn else 0.0
    report.metrics = {
        "frustration>=2": frus2.as_dict(),
        "frustration_exact": _acc(f_pairs),
        "frustration_peak_exact": _acc(peak_pairs),
        "question_type_accuracy": _acc(q_pairs),
        "summary": summ.as_dict(),
        "other_language_turn": lang_other.as_dict(),
        "complaint_count_exact": round(count_exact / n, 3),
        "complaint_count_within_1": round(count_pm1 / n, 3),
        "category_micro": {"precision": round(cp, 3), "recall": round(cr, 3),
                           "f1": round(2 * cp * cr / (cp + cr), 3) if cp + cr else 0.0},
        "complaint_kind_accuracy": _acc(kind_pairs),
        **{key: flags[key].as_dict() for key in CALL_FLAGS},
    }
    report.confusion = {
        "question": _confusion(q_pairs, ["open", "closed", "none"]),
        "frustration": _confusion(f_pairs, [0, 1, 2, 3]),
        "complaint_kind": _confusion(kind_pairs, ["formalitet", "afgoerelse", "blandet"]),
    }
    return report


#: The issue's table: label, how it is read from the metrics, its goal (None: no goal, shown for reference).
GOALS = [
    ("frustration>=2 F1", lambda m: m["frustration>=2"]["f1"], 0.70),
    ("antal punkter præcis", lambda m: m["complaint_count_exact"], 0.60),
    ("antal punkter ±1", lambda m: m["complaint_count_within_1"], 0.90),
    ("kategori mikro-F1", lambda m: m["category_micro"]["f1"], 0.75),
    ("klagetype", lambda m: m["complaint_kind_accuracy"], 0.85),
    ("sprogbarriere F1", lambda m: m["language_barrier"]["f1"], 0.90),
    ("helbredsbarriere F1", lambda m: m["health_barrier"]["f1"], 0.80),
    ("trussel recall", lambda m: m["threat"]["recall"], 0.90),
    ("trussel præcision", lambda m: m["threat"]["precision"], 0.70),
    ("metode egnet (acc)", lambda m: m["method_suitable"]["accuracy"], 0.85),
    ("spørgsmålstype", lambda m: m["question_type_accuracy"], 0.90),
    ("opsummering F1", lambda m: m["summary"]["f1"], 0.90),
]


def format_goals(reports: list[EvalReport], *, per_writer: bool = True) -> str:
    """The issue's table: one column per report (and per writer inside it), the goal beside each label."""
    columns: list[tuple[str, EvalReport]] = []
    for report in reports:
        columns.append((f"{report.name} ({report.calls})", report))
        if per_writer and len(report.by_writer) > 1:
            columns += [(f" {w} ({r.calls})", r) for w, r in report.by_writer.items()]
    width = max([14] + [len(title) + 1 for title, _ in columns])
    lines = [f"{'mål':22s}{'':>6s}" + "".join(f"{title:>{width}s}" for title, _ in columns)]
    for label, read, goal in GOALS:
        cells = "".join(f"{read(r.metrics):>{width}.3f}" for _, r in columns)
        lines.append(f"{label:22s}{goal:>6.2f}{cells}")
    return "\n".join(lines)


def leave_one_writer_out(fit_dirs: list[Path], eval_dirs: list[Path], work_dir: Path, *,
                         options: AnalyzerOptions | None = None, names: list[str] | None = None,
                         refit_thresholds: bool = False) -> EvalReport:
    """For each writer of the evaluated folders: fit every model on the other writers, analyse the writer's calls.

    By default each model's decision threshold is the shipped one, which was chosen on out-of-writer predictions
    of every writer, the held-out one included; everything else is fitted without the held-out writer, including
    its noisy copies. ``refit_thresholds`` chooses each threshold again on the other writers alone (one more round
    of fits per writer, about five times slower): the honest measure for a change to how thresholds are chosen,
    which the shipped thresholds flatter.

    Args:
        fit_dirs: Labelled calls to fit on (e.g. dev, train and their noisy copies).
        eval_dirs: Labelled calls to evaluate (e.g. dev and train).
        work_dir: Where the per-writer artefacts are written.
        options: Analyser options (``models_dir`` is set per writer).
        names: Refit only these models; the others are the shipped ones, which have seen the held-out writer
            (a quicker inner loop while working on one model; the full run refits all).
        refit_thresholds: Choose the thresholds without the held-out writer too.

    Returns:
        The pooled report, with one report per held-out writer.
    """
    import shutil
    from dataclasses import replace

    from assistant.analysis.training import MODELS_DIR, load_calls, train_all

    calls = load_calls(fit_dirs)
    eval_calls = [(path, load_call(path)) for d in eval_dirs for path in sorted(Path(d).glob("*.json"))]
    writers = sorted({writer_of(call) for _, call in eval_calls})
    base = options or AnalyzerOptions()
    analysed, by_writer = [], {}
    for writer in writers:
        models_dir = Path(work_dir) / writer
        if names:
            shutil.copytree(base.models_dir or MODELS_DIR, models_dir, dirs_exist_ok=True)
        train_all([c for c in calls if c.writer != writer], models_dir, names,
                  thresholds_from=None if refit_thresholds else base.models_dir or MODELS_DIR)
        held_out = replace(base, models_dir=models_dir)
        mine = [(call, analyze_call(call, options=held_out)) for _, call in eval_calls if writer_of(call) == writer]
        by_writer[writer] = score_calls(writer, mine)
        analysed += mine
    report = score_calls("leave-one-writer-out", analysed)
    report.by_writer = by_writer
    return report


def _acc(pairs: list[tuple]) -> float:
    return round(sum(1 for g, p in pairs if g == p) / len(pairs), 3) if pairs else 0.0


def _percentiles(seconds: list[float]) -> dict:
    if not seconds:
        return {}
    ms = sorted(s * 1000 for s in seconds)

    def pct(q: float) -> float:
        return round(ms[min(len(ms) - 1, int(q * (len(ms) - 1) + 0.5))], 3)

    return {"utterances": len(ms), "p50": pct(0.5), "p95": pct(0.95), "max": round(ms[-1], 3)}


@dataclass
class SentimentReport:
    """Balanced accuracy of "negative sentence → not calm" on the external sentence set."""

    overall: dict
    by_source: dict


def evaluate_sentiment(path: Path) -> SentimentReport:
    """Check that sentences a person labelled negative (valence < 0) do not come out calm.

    Each sentence runs through the same pipeline and frustration scorer as citizen turns; "not calm" means
    AFINN-negative or frustration ≥ 1. AFINN alone is reported beside it.

    Args:
        path: The JSONL file (``source``, ``valence``, ``text`` per line).

    Returns:
        Balanced accuracy overall and per source, for our scorer and for AFINN alone.

    Raises:
        AnalysisError: when the file cannot be read.
    """
    from assistant.analysis.frustration import is_negative
    from assistant.analysis.pipeline import get_nlp
    from assistant.analysis.text import TurnText

    try:
        rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, json.JSONDecodeError) as err:
        raise AnalysisError(f"Kan ikke læse {path}: {err}", code="analysis-bad-input") from err
    nlp = get_nlp()
    groups: dict[str, dict[str, Binary]] = {}
    for row in rows:
        turn = TurnText.from_doc(nlp(row["text"]))
        gold = float(row["valence"]) < 0
        ours = is_negative(turn)
        afinn = sum(s for _, s in turn.afinn) < 0
        for key in ("all", row.get("source", "?")):
            g = groups.setdefault(key, {"ours": Binary(), "afinn": Binary()})
            g["ours"].add(gold, ours)
            g["afinn"].add(gold, afinn)

    def balanced(b: Binary) -> float:
        tpr = b.tp / (b.tp + b.fn) if b.tp + b.fn else 0.0
        tnr = b.tn / (b.tn + b.fp) if b.tn + b.fp else 0.0
        return round((tpr + tnr) / 2, 3)

    table = {k: {"balanced_accuracy": balanced(v["ours"]), "afinn_only": balanced(v["afinn"]),
                 "n": v["ours"].tp + v["ours"].fp + v["ours"].fn + v["ours"].tn} for k, v in groups.items()}
    return SentimentReport(overall=table.pop("all"), by_source=table)


def format_report(report: EvalReport, *, details: bool = True) -> str:
    """A readable text version of an evaluation report."""
    m = report.metrics
    lines = [f"== {report.name} ({report.calls} opkald) =="]
    for key in ("frustration>=2", "summary", "other_language_turn", *CALL_FLAGS):
        d = m[key]
        lines.append(f"{key:22s} P={d['precision']:.3f} R={d['recall']:.3f} F1={d['f1']:.3f} "
                     f"acc={d['accuracy']:.3f} (støtte {d['support']}/{d['n']})")
    cat = m["category_micro"]
    lines.append(f"{'category micro':22s} P={cat['precision']:.3f} R={cat['recall']:.3f} F1={cat['f1']:.3f}")
    for key in ("question_type_accuracy", "frustration_exact", "frustration_peak_exact", "complaint_count_exact",
                "complaint_count_within_1", "complaint_kind_accuracy"):
        lines.append(f"{key:22s} {m[key]:.3f}")
    t = report.timing_ms
    if t:
        lines.append(f"tid pr. ytring (ms)      p50={t['p50']:.2f} p95={t['p95']:.2f} max={t['max']:.2f} "
                     f"(CPU p50={t.get('cpu_p50', 0):.2f} p95={t.get('cpu_p95', 0):.2f}; {t['utterances']} ytringer)")
    if details:
        for name, table in report.confusion.items():
            lines.append(f"confusion {name} (række=guld, kolonne=forudsagt): {' '.join(table['labels'])}")
            for label, row in zip(table["labels"], table["rows"]):
                lines.append(f"  {label:12s} " + " ".join(f"{x:4d}" for x in row))
    return "\n".join(lines)


def format_sentiment(report: SentimentReport) -> str:
    """Text version of the external sentiment check."""
    o = report.overall
    lines = [f"== external sentiment (n={o['n']}) balanced accuracy={o['balanced_accuracy']:.3f} "
             f"(AFINN alene {o['afinn_only']:.3f}) =="]
    for source, row in sorted(report.by_source.items()):
        lines.append(f"  {source:10s} {row['balanced_accuracy']:.3f} (AFINN {row['afinn_only']:.3f}, n={row['n']})")
    return "\n".join(lines)

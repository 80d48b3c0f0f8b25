"""What every command shares: how problems are printed, how an output is written (never over an input: exit 2;
never half: exit 1), and how a run with blocking problems ends. The exit codes are listed in assess.py."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

import click

from common import marks
from common.files import clash_message, folder_clash, input_clash, write_bytes_atomic, write_text_atomic
from common.oserrors import os_error_words
from common.problems import Problems, capped
from reports.terminal import fitted_to_terminal, fold_lines
from scoring.pipeline import Results, run
from scoring.rollup import BadSource, Source, parse_source

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

PASS, FAIL = marks.PASS, marks.FAIL  # GBK-safe (common.marks)


def safe_streams() -> None:
    """Never crash on a console or file whose encoding lacks a character (a GBK console and a rare character in a
    unit name, say): such a character is written as '?' instead. The text itself is chosen to be GBK-safe."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


class SafeGroup(click.Group):
    """The `assess` group: its streams are made safe (safe_streams) before any command, --help included, prints,
    and what a command prints is fitted to the terminal's width (reports.terminal)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        safe_streams()
        with fitted_to_terminal():
            return super().main(*args, **kwargs)


def print_problems(problems: Problems) -> None:
    shown, notes = capped(problems.items)
    for p in sorted(shown, key=lambda p: (p.level != "error", p.file or "", p.line or 0, p.row or 0)):
        click.echo(fold_lines(p.render()), err=True)
    for note in notes:
        click.echo(fold_lines(note), err=True)
    if problems:
        click.echo(f"共 {len(problems.errors)} 个错误，{len(problems.warnings)} 个警告。", err=True)


def inputs_of(*paths: Path | str | None, read: Iterable[str] = ()) -> list[Path]:
    """What a command reads: the given files, every file directly in a given folder, and the files the
    intake recorded as read. No output may replace one of them."""
    out: list[Path] = []
    for p in paths:
        if p is None:
            continue
        p = Path(p)
        out.append(p)
        if p.is_dir():
            with contextlib.suppress(OSError):
                out.extend(q for q in p.iterdir() if not q.is_dir())
    return out + [Path(f) for f in read]


def read_by(results: Results) -> list[str]:
    """The files the intake read for these results (a folder's workbooks, say): inputs too, never to be replaced."""
    return list(results.data.files) if results.data is not None else []


def refuse_inputs(outputs: Iterable[Path], inputs: list[Path]) -> None:
    """Exit 2 before anything is written when an output would replace an input: the originals are the evidence."""
    outputs = list(outputs)
    clash = input_clash(outputs, inputs) or folder_clash(outputs, inputs)
    if clash is not None:
        click.echo(clash_message(clash), err=True)
        sys.exit(2)


def writable(out: Path) -> None:
    """Exit 2 when an output that is one file was given a folder."""
    if out.is_dir():
        click.echo(f"输出路径 {out} 是一个文件夹，请给出文件名（如 {out / '结果.json'}）。", err=True)
        sys.exit(2)


def write_failed(e: OSError, out: Path) -> NoReturn:
    click.echo(f"无法写入 {out}：{os_error_words(e)}。原有文件未被改动。", err=True)
    sys.exit(1)


def emit(text: str, out: Path | None, inputs: list[Path] | None = None) -> None:
    """Text to the screen (fitted to its width), or to the file `out` whole (atomically) and never over one of `inputs`."""
    if out is None:
        click.echo(fold_lines(text), nl=False)  # a line wider than the terminal folds under its start
        return
    writable(out)
    refuse_inputs([out], inputs or [])
    try:
        write_text_atomic(out, text)
    except OSError as e:
        write_failed(e, out)
    click.echo(f"已写入 {out}", err=True)


def emit_bytes(data: bytes, out: Path, inputs: list[Path] | None = None) -> None:
    """A binary document (.docx, .xlsx) to the file `out`, whole (atomically) and never over one of `inputs`."""
    writable(out)
    refuse_inputs([out], inputs or [])
    try:
        write_bytes_atomic(out, data)
    except OSError as e:
        write_failed(e, out)
    click.echo(f"已写入 {out}", err=True)


def rollup_option(f: Any) -> Any:
    """`--rollup NAME=PATH` (repeatable): where a rollup's lower results come from (criteria/README.md 2.19)."""
    return click.option("--rollup", "rollups", multiple=True, metavar="名称[@本级单位]=路径",
                        help="汇总台账的来源（可多次）：下级细则的结果文件（.json）或填报数据文件夹（本次一并评分）；"
                             "如 counties=县区数据、counties@本市=县区结果.json。见 criteria/README.md 2.19。")(f)


def rollup_sources(texts: Iterable[str]) -> list[Source] | None:
    """The parsed `--rollup` options (None when none were given), or exit 2 saying which one is wrong."""
    try:
        got = [parse_source(t) for t in texts]
    except BadSource as e:
        click.echo(str(e), err=True)
        sys.exit(2)
    return got or None


def score_or_exit(criteria: Path, data: Path, period: str | None = None, rollups: Iterable[str] = ()) -> Results:
    """The results (for one period of the scheme, when given), or every problem printed and exit 1 when the
    criteria or the data block scoring."""
    problems = Problems()
    results = run(criteria, data, problems, period, rollups=rollup_sources(rollups))
    if results is None or problems.blocking:
        print_problems(problems)
        click.echo("存在错误，未输出结果。请按上述提示修改后重试。", err=True)
        sys.exit(1)
    return results


PERIOD_HELP = "按细则 periods 中的某一期评分（如 Q1）：考核时段取该期的起止日期，台账按 period_dates 的日期列取该期的行；见 criteria/README.md 2.20。"


def finish(results: Results) -> None:
    """Print problems; exit 1 when some units were left out (their errors are listed)."""
    print_problems(results.problems)
    if results.problems.errors:
        left_out = sorted({p.entity for p in results.problems.errors if p.entity})
        click.echo(f"以下单位因数据错误未计分：{'、'.join(left_out)}；其余单位的结果已输出。", err=True)
        sys.exit(1)

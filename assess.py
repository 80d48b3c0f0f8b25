"""assess: 安全生产考核评分 — the command line: the click group and its commands, which live in cli/ (one module
per group of commands). Thin: a command parses its arguments and calls the pipeline.

Exit codes: 0 ok; 1 problems in criteria or data (all of them printed, nothing written);
2 usage (a wrong command or option).
"""

from __future__ import annotations

import atexit
import os
import sys

import click

from cli.compare import compare, verify
from cli.data import convert, template
from cli.forecast import forecast
from cli.language import codes, validate
from cli.scoring import check_command, explain, report, score, selfcheck
from cli.serve import serve
from cli.shared import CONTEXT, SafeGroup
from cli.warn import warn


@click.group(cls=SafeGroup, context_settings=CONTEXT)
@click.version_option(package_name="assess", message="assess %(version)s")
def main() -> None:
    """安全生产考核评分：考核细则（YAML）+ 填报数据 → 得分、等次、排名和扣分说明。

    \b
    退出码：0 成功；1 考核细则或数据有问题（全部列出，不输出结果）；2 命令用法错误。
    """


# The commands live in cli/, one module per group; `assess --help` lists them by name, whatever the order here.
main.add_command(validate)
main.add_command(codes)
main.add_command(score)
main.add_command(explain)
main.add_command(report)
main.add_command(selfcheck)
main.add_command(forecast)
main.add_command(warn)
main.add_command(check_command)
main.add_command(compare)
main.add_command(verify)
main.add_command(template)
main.add_command(convert)
main.add_command(serve)


def run() -> None:
    """The `assess` program (the console script): `main`, then a quick exit. A batch command is done when its
    outputs are written and closed; tearing down the interpreter afterwards only frees memory the system frees
    anyway, and takes 0.15–0.25 s after a province's run (docs/performance.md). The exit handlers still run
    (ASSESS_TIMINGS' report) and the streams are flushed. `assess serve` exits normally: its handlers stop the
    worker processes and remove a throwaway instance."""
    try:
        main()
        code: object = 0
    except SystemExit as e:
        code = e.code
    if sys.argv[1:2] == ["serve"]:
        raise SystemExit(code)
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):   # a closed pipe (`assess … | head`): nothing more can be said there
            code = code or 1
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    run()

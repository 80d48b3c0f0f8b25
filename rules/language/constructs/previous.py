"""往期结果 `previous`：把已发布的考核结果（本工具写出的 JSON 结果文件）作为本次考核的输入。

写法（criteria/README.md 2.18）：

```yaml
previous:
  last_year:                       # 名称：表达式里写 last_year.rank、last_year.total …
    label: 上一年度考核结果
    file: ../2020/县区考核结果.json  # assess score --format json 写出的结果文件，相对于本细则文件所在的文件夹
    scheme: county-2020             # 可选：结果文件必须出自这个细则（scheme.id），防止拿错文件
```

每个名称 `L` 在表达式中提供（按单位编号对应）：`L.total`（总分）、`L.rank`（名次）、`L.grade`（等次）、
`L.units`（当期参加排名的单位数）、`L.vetoed`（当期是否触发过否决项，是/否）、`L.vetoes`（触发的否决项个数）。
本次考核的单位在结果文件中找不到、文件读不了、出自别的细则，都报错并写明哪个文件、哪个单位。
读取文件、按单位对应的是 intake/previous.py；案例文件中每个单位可直接写 `previous: {last_year: {rank: 3}}`。
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rules.language.constructs.base import Strict, Text
from rules.language.constructs.inputs import BAD_NAME, NAME

if TYPE_CHECKING:
    from rules.language.constructs.compiling import Compiler

# what each earlier result offers to expressions, with its type
FIGURES = {"total": "number", "rank": "number", "grade": "str", "units": "number", "vetoed": "bool",
           "vetoes": "number"}
FIGURE_LABELS = {"total": "总分", "rank": "名次", "grade": "等次", "units": "参加排名的单位数",
                 "vetoed": "触发过否决项", "vetoes": "触发否决项个数"}


class Previous(Strict):
    label: Text
    file: Text
    scheme: Text | None = None


@dataclass(frozen=True)
class CPrevious:
    name: str
    label: str
    file: str            # as written (relative to the criteria file's folder)
    scheme: str | None
    line: int | None
    kind: str = "往期结果"    # how problems call it ("分期结果" for a period's results, constructs/periods.py)
    key: str = "file"         # the key that names its file in the scheme

    def names(self) -> dict[str, str]:
        """Every name this earlier result offers to expressions, with its type."""
        return {f"{self.name}.{k}": t for k, t in FIGURES.items()}


def compile_previous(c: Compiler) -> list[CPrevious]:
    out = []
    for name, p in c.m.previous.items():
        path = ("previous", name)
        if not NAME.match(name) or name.startswith("_"):
            c.err(path, f"往期结果的名称“{name}”{BAD_NAME}（表达式中要用这个名字，见 criteria/README.md 2.18）", "bad-id")
            continue
        if name in c.m.inputs or name in c.m.derived or name in ("entity", "period", "findings"):
            c.err(path, f"往期结果的名称“{name}”与输入、派生值或内置名称重名，请换一个（见 criteria/README.md 2.18）",
                  "previous-name")
            continue
        cp = CPrevious(name, p.label, p.file, p.scheme, c.smap.line(path))
        out.append(cp)
        c.scalar_types.update(cp.names())
    return out


def label_of(name: str, previous: list[CPrevious]) -> str | None:
    """The label users know an earlier figure by (上一年度考核结果·名次), or None."""
    head, _, figure = name.partition(".")
    p = next((p for p in previous if p.name == head), None)
    return f"{p.label}·{FIGURE_LABELS[figure]}" if p is not None and figure in FIGURE_LABELS else None

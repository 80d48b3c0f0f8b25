"""Problem codes of data intake (intake): code -> Chinese meaning."""

CODES: dict[str, str] = {
    # the data path and its files
    "no-file": "数据路径或单位名册文件不存在",
    # earlier results (previous:, intake/previous.py)
    "previous-file": "往期结果文件不存在、读不了、不是结果文件，或出自别的细则",
    "previous-unit": "本次考核的单位在往期结果文件中找不到（按单位编号对应）",
    # periods (periods:, intake/periods.py)
    "period-row": "按期考核的台账行日期为空，或不在细则声明的任何一期内",
    # lower results as ledgers (rollup:, intake/rollup.py, scoring/rollup.py)
    "rollup-source": "汇总台账的来源没有给出、不存在、读不了、出自别的细则，或下级数据评分时有错误",
    "rollup-unit": "下级单位所属的本级单位不是本次考核的单位，或同一下级单位出现了两次",
    "rollup-empty": "本级单位在汇总台账中没有下级单位",
    "no-data": "数据路径中没有可读取的数据（应为 CSV 文件夹、各单位工作簿或一个汇总工作簿）",
    "bad-path": "路径无法读取：悬空或循环的符号链接、管道等特殊文件、没有读取权限",
    "unknown-file": "无法识别的文件名（与台账名称相近时为错误，否则忽略并警告）",
    "near-miss-file": "文件名是数据文件，但不是 .csv 文件（如 .txt、.CSV 以外的类型），未读取",
    "misplaced-file": "数据文件放在子文件夹中，不会被读取",
    "encoding": "无法识别 CSV 文件的编码",
    "csv-syntax": "CSV 格式错误（引号不成对等）",
    "csv-fields": "CSV 行的字段数多于表头（多写了逗号，或每行末尾多一个逗号）",
    # workbooks
    "bad-workbook": "工作簿无法读取（已损坏或不是 Excel 文件）",
    "workbook-bounds": "工作簿超出读取上限（解压后过大、压缩比异常、数据区域过大），未读取",
    "bad-cell": "单元格没有可用的值：公式结果为错误（如 #DIV/0!），或公式没有保存计算结果",
    "merged-cells": "表格中的单元格被合并，合并后其余单元格的值丢失",
    "locked-cell": "模板中锁定的单元格（如填报数据的“编号”）被修改",
    "unknown-sheet": "无法识别的工作表名，已忽略",
    "missing-sheet": "单位工作簿缺少模板中的工作表（如“填报数据”）",
    "missing-unit": "工作簿无法确定是哪个单位的（缺少单位信息表或单位编号）",
    "unit-name": "工作簿中的单位名称或其他锁定的单位信息（如考核类别）与单位名册不一致（警告；评分按名册）",
    "open-workbook": "文件夹中有 Excel 的锁文件（~$ 开头）：工作簿正在打开，读取的是它最后保存的内容（警告）",
    "no-register": "没有单位名册：未交回工作簿的单位无法发现（数据文件夹中为错误）",
    # tables, columns and cells
    "missing-ledger": "数据中缺少考核细则要求的台账（文件或工作表被删除、改名）；没有记录时应保留表头",
    "missing-values": "数据中没有填报数据表（CSV 文件夹中的 values.csv，或工作簿中的“填报数据”表）",
    "missing-entities": "缺少单位名册，或名册中没有单位",
    "missing-column": "缺少必需的列（或模板中的行、列被删除）",
    "unknown-column": "未知的列或填报项目（与已知列名相近时为错误，否则忽略并警告）",
    "duplicate-column": "同一列出现两次（列名重复，或一次写编号、一次写名称）",
    "duplicate-input": "单位工作簿的填报数据中同一填报项目出现多次",
    "bad-value": "单元格的值不符合要求（类型、范围、取值、必填）",
    "bad-id": "单位编号的形式不可用（含空格、点号、斜杠或控制字符，或过长）",
    "unknown-unit": "单位不在单位名册中",
    "duplicate-unit": "单位在名册或填报数据中出现多次",
    "unit-without-data": "名册中的单位没有填报数据",
    "duplicate-key": "台账中同一单位的记录编号重复",
    # findings and self-scores
    "unknown-item": "考核扣分记录或自评分中的项目编号不存在",
    "finding-figure": "考核扣分记录的“扣分”“得分”填写不符合该项目的要求",
    "finding-range": "考核扣分记录的分值超出项目规定的范围",
    "finding-duplicate": "评定得分项目对同一单位有多条记录",
    "self-score-range": "自评分超过项目分值",
}

"""Problem codes of the warnings during the year (alerts, assess warn): code -> Chinese meaning."""

CODES: dict[str, str] = {
    "warn-date": "预警日期不在考核时段 scheme.period 之内，或细则没有写考核时段，无法按进度折算",
    "warn-row": "累计的台账（accumulate.ledgers、period_dates）中有日期晚于预警日期的行",
}

"""The form a scorer fills for one unit and one assessed item: the figure the scheme asks for (扣分 or 得分,
within the item's range), the reason, the clause it rests on and the evidence."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from web.findings.items import AssessedItem


class RecordForm(forms.Form):
    figure = forms.DecimalField(label="分值", min_value=Decimal(0), max_digits=8, decimal_places=4,
                                widget=forms.TextInput(attrs={"id": "record-figure", "inputmode": "decimal",
                                                              "size": 8}))
    reason = forms.CharField(label="事由", max_length=500,
                             widget=forms.TextInput(attrs={"id": "record-reason", "style": "width:100%"}))
    clause = forms.CharField(label="依据条款", max_length=200, required=False,
                             widget=forms.TextInput(attrs={"id": "record-clause", "style": "width:100%",
                                                           "placeholder": "如：考核细则一(三)2、《安全生产法》第二十一条"}))
    basis = forms.CharField(label="佐证材料（检查记录、通报文号、照片说明等）", max_length=500, required=False,
                            widget=forms.Textarea(attrs={"id": "record-basis", "rows": 3, "style": "width:100%"}))

    attachment = forms.FileField(label="佐证材料附件（可选：PDF、JPG、PNG、Word 或 Excel 文件）", required=False,
                                 widget=forms.ClearableFileInput(attrs={"id": "record-attachment"}))

    def __init__(self, *args: Any, item: AssessedItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["figure"].label = f"{item.figure}（{item.range_text}）"

    def clean_figure(self) -> Decimal:
        value: Decimal = self.cleaned_data["figure"]
        if not self.item.lo <= value <= self.item.hi:
            raise forms.ValidationError(f"项目{self.item.id}的{self.item.figure}应在 {self.item.range_text}之间，"
                                        f"现为 {value.normalize():f}")
        return value

from __future__ import annotations

from django import forms


class RoundForm(forms.Form):
    name = forms.CharField(label="轮次名称", max_length=200,
                           widget=forms.TextInput(attrs={"id": "round-name", "placeholder": "如：2020年度县区考核"}))
    scheme = forms.FileField(label="考核细则（YAML）", widget=forms.ClearableFileInput(attrs={"id": "round-scheme"}))
    roster = forms.FileField(label="单位名册（entities.csv 或含“单位名册”表的工作簿）",
                             widget=forms.ClearableFileInput(attrs={"id": "round-roster"}))
    deadline = forms.CharField(label="报送期限（写入填报说明，可不填）", max_length=100, required=False,
                               widget=forms.TextInput(attrs={"id": "round-deadline", "placeholder": "如：2021年1月10日"}))

"""The programmes a case can be about: the plan's clauses that people apply for.

Each programme is data: its clause and lead department (catalogue.yaml `lead`),
the engine outputs that decide it (plans/zhongshan_2014/rules), the facts an
application states, the documents the department asks for, and what an approval
grants: an amount of money or service items.

Amounts: the veterans' grant comes from the engine (3.4.3 states the formula).
The plan states no amount for hardship relief (3.4.1) or the preschool subsidy
(3.1.1): the deciding officer sets it on approval, within the department's own
budget rules; this module invents no figure. The documents listed are
illustrative: each department sets its own list.

Plain data with no Django import: labels are zh/en pairs, like the plan's.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    """A service the entitlement grants, delivered item by item."""

    code: str
    label: dict[str, str]
    unit: dict[str, str]
    # The most units free of charge: fixed, read from an engine output, or None
    # for an ongoing service without a limit (type-1 diabetes drugs).
    limit: int | None = 1
    limit_output: str | None = None

    def label_in(self, lang: str) -> str:
        return self.label[lang_key(lang)]

    def unit_in(self, lang: str) -> str:
        return self.unit[lang_key(lang)]


@dataclass(frozen=True)
class Document:
    code: str
    label: dict[str, str]

    def label_in(self, lang: str) -> str:
        return self.label[lang_key(lang)]


@dataclass(frozen=True)
class Programme:
    code: str
    clause: str
    department: str
    label: dict[str, str]
    eligibility: str  # the boolean engine output that decides the case
    outputs: tuple[str, ...]  # every engine output shown and frozen
    facts: tuple[str, ...]  # contract fields (flattened) the application states
    documents: tuple[Document, ...]
    amount_output: str | None = None  # engine output with the amount (CNY)
    officer_sets_amount: bool = False
    items: tuple[Item, ...] = ()
    items_output: str | None = None  # engine output listing the items that apply
    health: bool = False  # facts and explanation are health details
    grants: dict[str, str] = field(default_factory=dict)

    def label_in(self, lang: str) -> str:
        return self.label[lang_key(lang)]

    def grants_in(self, lang: str) -> str:
        return self.grants[lang_key(lang)]

    @property
    def pays_money(self) -> bool:
        return self.amount_output is not None or self.officer_sets_amount

    def item(self, code: str) -> Item | None:
        return next((item for item in self.items if item.code == code), None)

    def in_order(self, granted: dict) -> list[tuple[str, int | None]]:
        """Return granted {code: limit} as pairs in the programme's order of items.

        A JSON object read back from PostgreSQL (jsonb) has lost its key order.
        """
        order = {item.code: index for index, item in enumerate(self.items)}
        return sorted(granted.items(), key=lambda pair: order.get(pair[0], len(order)))


def lang_key(lang: str | None) -> str:
    """Return "en" for an English language code, else "zh" (Chinese first)."""
    return "en" if (lang or "").lower().startswith("en") else "zh"


_ID_CARD = Document(
    "id_card", {"zh": "居民身份证或居住证", "en": "ID card or residence permit"}
)
_HUKOU = Document(
    "hukou_booklet", {"zh": "户口簿", "en": "household registration booklet"}
)
_ENROLMENT = Document("enrolment_proof", {"zh": "在读证明", "en": "proof of enrolment"})

ONCE = {"zh": "次", "en": "times"}

PROGRAMMES: dict[str, Programme] = {
    p.code: p
    for p in (
        Programme(
            code="hardship_relief",
            clause="3.4.1",
            department="civil-affairs",
            label={
                "zh": "非本市户籍人员临时困难救助",
                "en": "Temporary hardship relief",
            },
            eligibility="hardship_relief_eligible",
            outputs=("hardship_relief_eligible",),
            facts=("hardship_cause", "hardship_date", "requested_amount"),
            documents=(
                _ID_CARD,
                Document(
                    "incident_proof",
                    {"zh": "突发事件证明", "en": "proof of the sudden event"},
                ),
            ),
            officer_sets_amount=True,
            grants={
                "zh": "一次性救助金（金额由审批人确定）",
                "en": "a one-time payment set by the deciding officer",
            },
        ),
        Programme(
            code="funeral",
            clause="3.5",
            department="civil-affairs",
            label={"zh": "免费殡葬基本服务", "en": "Free basic funeral services"},
            eligibility="funeral_eligible",
            outputs=(
                "funeral_eligible",
                "funeral_free_storage_days",
                "funeral_free_ash_storage_years",
                "funeral_free_items",
            ),
            facts=("death_date", "death_storage_days", "death_ash_storage_years"),
            documents=(
                Document(
                    "death_certificate", {"zh": "死亡证明", "en": "death certificate"}
                ),
                Document(
                    "family_id_card",
                    {
                        "zh": "办理人（家属）身份证",
                        "en": "ID card of the family member applying",
                    },
                ),
            ),
            items=(
                Item(
                    "body_transport", {"zh": "遗体接运", "en": "body transport"}, ONCE
                ),
                Item(
                    "body_storage",
                    {"zh": "遗体存放", "en": "body storage"},
                    {"zh": "天", "en": "days"},
                    limit=None,
                    limit_output="funeral_free_storage_days",
                ),
                Item(
                    "farewell_hall", {"zh": "告别厅租用", "en": "farewell hall"}, ONCE
                ),
                Item("cremation", {"zh": "遗体火化", "en": "cremation"}, ONCE),
                Item(
                    "ashes_storage",
                    {"zh": "骨灰寄存", "en": "ashes storage"},
                    {"zh": "年", "en": "years"},
                    limit=None,
                    limit_output="funeral_free_ash_storage_years",
                ),
            ),
            items_output="funeral_free_items",
            grants={
                "zh": "五项免费殡葬基本服务",
                "en": "the five free basic funeral services",
            },
        ),
        Programme(
            code="veteran_grant",
            clause="3.4.3",
            department="civil-affairs",
            label={
                "zh": "退役士兵自主就业一次性经济补助金",
                "en": "Veterans' self-employment grant",
            },
            eligibility="veteran_grant_eligible",
            outputs=("veteran_grant_eligible", "veteran_grant", "veteran_annual_wage"),
            facts=("veteran_kind", "veteran_discharged", "veteran_nco_years"),
            documents=(
                _ID_CARD,
                Document(
                    "discharge_certificate",
                    {"zh": "退出现役证", "en": "discharge certificate"},
                ),
            ),
            amount_output="veteran_grant",
            grants={
                "zh": "一次性经济补助金（按方案公式计算）",
                "en": "a one-time grant computed by the plan's formula",
            },
        ),
        Programme(
            code="student_insurance",
            clause="3.4.2",
            department="hr-social-security",
            label={
                "zh": "非本市户籍学生参加居民医保",
                "en": "Medical insurance for non-registered pupils",
            },
            eligibility="student_insurance_eligible",
            outputs=("student_insurance_eligible",),
            facts=("school_stage",),
            documents=(
                _ENROLMENT,
                Document(
                    "points_certificate",
                    {"zh": "监护人积分证明", "en": "guardian's points certificate"},
                ),
            ),
            items=(
                Item(
                    "insurance_enrolment",
                    {
                        "zh": "参加城乡居民住院基本医疗保险（享受财政补助）",
                        "en": "enrolment in residents' inpatient insurance with the subsidy",
                    },
                    {"zh": "学年", "en": "school years"},
                    limit=None,
                ),
            ),
            grants={
                "zh": "参加居民医保并享受户籍学生同等财政补助",
                "en": "residents' insurance with the registered pupils' subsidy",
            },
        ),
        Programme(
            code="t1d_care",
            clause="3.3.2",
            department="health",
            label={"zh": "1型糖尿病免费基本治疗", "en": "Free type-1 diabetes care"},
            eligibility="t1d_free_care_eligible",
            outputs=("t1d_free_care_eligible",),
            facts=("t1d_diagnosed", "t1d_hospital_grade"),
            documents=(
                _HUKOU,
                Document(
                    "diagnosis_certificate",
                    {
                        "zh": "二级甲等以上医院诊断证明",
                        "en": "diagnosis from a grade-2A-or-higher hospital",
                    },
                ),
            ),
            items=(
                Item(
                    "glucose_drugs",
                    {"zh": "免费降血糖药物", "en": "free glucose-lowering drugs"},
                    {"zh": "个月", "en": "months"},
                    limit=None,
                ),
                Item(
                    "glucose_tests",
                    {"zh": "免费测血糖", "en": "free glucose tests"},
                    ONCE,
                    limit=None,
                ),
            ),
            health=True,
            grants={
                "zh": "免费降血糖药物和测血糖",
                "en": "free glucose-lowering drugs and glucose tests",
            },
        ),
        Programme(
            code="prepregnancy_check",
            clause="3.3.4",
            department="health",
            label={
                "zh": "流动人口免费孕前优生健康检查",
                "en": "Free pre-pregnancy check for migrants",
            },
            eligibility="prepregnancy_check_free",
            outputs=("prepregnancy_check_free",),
            facts=("resident_since",),
            documents=(_ID_CARD,),
            items=(
                Item(
                    "prepregnancy_check",
                    {
                        "zh": "免费孕前优生健康检查",
                        "en": "free pre-pregnancy health check",
                    },
                    ONCE,
                ),
            ),
            grants={
                "zh": "免费孕前优生健康检查",
                "en": "a free pre-pregnancy health check",
            },
        ),
        Programme(
            code="preschool_subsidy",
            clause="3.1.1",
            department="education",
            label={"zh": "学前教育资助", "en": "Preschool education subsidy"},
            eligibility="preschool_subsidy_eligible",
            outputs=("preschool_subsidy_eligible",),
            facts=("school_stage", "requested_amount"),
            documents=(_HUKOU, _ENROLMENT),
            officer_sets_amount=True,
            grants={
                "zh": "学前教育资助金（金额由审批人确定）",
                "en": "a subsidy set by the deciding officer",
            },
        ),
        Programme(
            code="vocational_tuition",
            clause="3.1.2",
            department="education",
            label={
                "zh": "中等职业教育免学费",
                "en": "Free secondary vocational tuition",
            },
            eligibility="vocational_tuition_free",
            outputs=("vocational_tuition_free",),
            facts=("school_stage",),
            documents=(_ID_CARD, _ENROLMENT),
            items=(
                Item(
                    "tuition_waiver",
                    {"zh": "免除学费", "en": "tuition waived"},
                    {"zh": "学期", "en": "terms"},
                    limit=None,
                ),
            ),
            grants={"zh": "免除中职学费", "en": "tuition waived"},
        ),
    )
}

# Facts that are health details: shown to health officers only (issue 4).
HEALTH_FACTS = frozenset({"t1d_diagnosed", "t1d_hospital_grade"})


def programme(code: str) -> Programme:
    """Return the programme `code`; raise KeyError for an unknown one."""
    return PROGRAMMES[code]


def programmes_of_department(department: str) -> list[str]:
    """Return the codes of the programmes `department` leads (and decides)."""
    return [p.code for p in PROGRAMMES.values() if p.department == department]


def programme_choices(lang: str) -> list[tuple[str, str]]:
    """Return (code, "clause label") pairs in the plan's order of clauses."""
    return [
        (p.code, f"{p.clause} {p.label_in(lang)}")
        for p in sorted(PROGRAMMES.values(), key=lambda p: _clause_key(p.clause))
    ]


def _clause_key(clause: str) -> tuple[int, ...]:
    return tuple(int(part) for part in clause.split("."))

"""Clause 3.1.2: free tuition in secondary vocational school, with a widened scope."""

import polars as pl

from equiserve.policy.model import all_of, condition, variable

START = "2014-01-01"


@variable(
    entity="person",
    type="bool",
    clause="3.1.2",
    start=START,
    label={"zh": "中等职业教育免学费", "en": "free secondary vocational tuition"},
)
def vocational_tuition_free(p):
    """A student of a secondary vocational school pays no tuition when registered, or when the scope covers migrants (3.1.2)."""
    covers_migrants = bool(p("education.vocational_free_tuition_covers_migrants"))
    return all_of(
        condition(
            "vocational",
            pl.col("school_stage") == "vocational",
            zh="在读中等职业学校（学段：{school_stage}）",
            en="studies at a secondary vocational school (school stage: {school_stage})",
        ),
        condition(
            "in_scope",
            pl.col("registered") | pl.lit(covers_migrants),
            zh="属于免学费范围：本市户籍，或免学费覆盖非本市户籍学生（户籍：{hukou}）",
            en="within the free-tuition scope: registered in Zhongshan, or the scope covers "
            "students registered elsewhere (registration: {hukou})",
        ),
    ).alias("vocational_tuition_free")

"""Clause 3.3.3: the family-planning reward on one urban–rural standard."""

import polars as pl

from equiserve.policy.model import all_of, condition, variable

START = "2014-01-01"


@variable(
    entity="person",
    type="bool",
    clause="3.3.3",
    start=START,
    label={"zh": "计划生育奖励", "en": "family-planning reward"},
)
def family_planning_reward_eligible(p):
    """A registered parent holding the one-child certificate gets the reward at the reward age, urban or rural alike (3.3.3)."""
    return all_of(
        condition(
            "registered",
            pl.col("registered"),
            zh="本市户籍（户籍：{hukou}）",
            en="registered in Zhongshan (registration: {hukou})",
        ),
        condition(
            "one_child_parent",
            pl.col("one_child_parent"),
            zh="持有独生子女父母光荣证（{one_child_parent}）",
            en="holds the one-child parents' certificate ({one_child_parent})",
        ),
        condition(
            "age",
            pl.col("age") >= p.lit("family_planning.reward_minimum_age"),
            zh="年满{family_planning.reward_minimum_age}（年龄：{age}）",
            en="aged {family_planning.reward_minimum_age} or more (age: {age})",
        ),
    ).alias("family_planning_reward_eligible")


@variable(
    entity="person",
    type="money",
    unit="CNY",
    clause="3.3.3",
    start=START,
    gate="family_planning_reward_eligible",
    label={"zh": "计划生育奖励金", "en": "family-planning reward amount"},
)
def family_planning_reward(p):
    """The reward is one standard amount for urban and rural residents alike (3.3.3)."""
    return (
        pl.when(pl.col("family_planning_reward_eligible"))
        .then(p.lit("family_planning.reward_standard"))
        .otherwise(0)
        .alias("family_planning_reward")
    )


@family_planning_reward.steps
def _reward_steps(row):
    amount = row.money("family_planning_reward")
    return [
        row.t(
            zh=f"奖励金 = 城乡统一标准 {amount}（城镇、农村户口相同）",
            en=f"Reward = the one urban–rural standard, {amount} (same for urban and rural)",
        )
    ]

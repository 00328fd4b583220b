"""Cases: applications under the plan's programmes, from assessment to appeal (issue 4)."""

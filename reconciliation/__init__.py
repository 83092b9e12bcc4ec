"""Agency copies against the master: intake, normalise, link, diff, outcomes, stewardship."""

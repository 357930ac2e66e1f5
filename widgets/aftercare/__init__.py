"""The aftercare plan builder (lesson 06): ``models`` (choices and text -> plan) and ``ui``."""

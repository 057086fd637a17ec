"""Lanterna's evaluator: scorers, LLM judges and scheduled evaluation jobs.

It talks to the collector only over REST and shares nothing else with it.
"""

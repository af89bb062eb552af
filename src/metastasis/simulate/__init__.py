"""Simulation models: metastatic spread over anatomic sites, the metastatic cascade, and bone remodelling."""

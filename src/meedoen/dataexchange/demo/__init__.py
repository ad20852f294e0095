"""Demo data for a city modelled on Den Haag: a world of persons with latent traits, written as
deliveries from the benefit administration and loaded through the real import.

See docs/development/demo-data.md for the causal model.
"""

"""Offline points wallet: spending from a server-granted reserve within caps."""

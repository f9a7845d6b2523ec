"""Canteen bookings, tickets, counters, activity check-ins and the points views of issue #7."""

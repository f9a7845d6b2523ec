"""Canteen: menus, prices, bookings with tickets, counter redemption; offline within seat holds and reserves."""

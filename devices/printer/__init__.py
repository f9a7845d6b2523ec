"""Receipt printers on python-escpos: document model, rendering, status, dummy."""

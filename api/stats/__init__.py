"""Statistics: figures, the daily rollup and the export."""

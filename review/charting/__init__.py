"""Charts of the findings from extraction.csv: model × component, evidence map, time, characteristics."""
from .charts import (
                     characteristics,
                     draw_evidence_map,
                     draw_model_by_dimension,
                     draw_publications_over_time,
                     draw_study_characteristics,
                     evidence_groups,
                     model_dimension_data,
                     publications_by_year,
                     read_extraction,
)
from .labels import ChartLabels, study_label
from .svg import add_svg_titles, save_chart

__all__ = [
    "ChartLabels", "add_svg_titles", "characteristics", "draw_evidence_map", "draw_model_by_dimension",
    "draw_publications_over_time", "draw_study_characteristics", "evidence_groups",
    "model_dimension_data", "publications_by_year", "read_extraction", "save_chart", "study_label",
]

-- Why a figure built on several counts is hidden, from the reasons its counts are hidden
-- (`suppressed`: a map from count to 'fewer than 5' or 'secondary'; `columns`: the counts the
-- figure is built on): NULL when none of them is hidden; the primary reason ('fewer than 5')
-- when every hidden one is below the threshold; else 'secondary' (it may be 5 or more).
CREATE OR REPLACE MACRO suppression_of(suppressed, columns) AS
  CASE
    WHEN len(list_filter(list_transform(columns, c -> suppressed[c]), r -> r IS NOT NULL)) = 0 THEN NULL
    WHEN list_bool_and(list_transform(list_filter(list_transform(columns, c -> suppressed[c]), r -> r IS NOT NULL), r -> r <> 'secondary'))
      THEN list_filter(list_transform(columns, c -> suppressed[c]), r -> r IS NOT NULL)[1]
    ELSE 'secondary'
  END;

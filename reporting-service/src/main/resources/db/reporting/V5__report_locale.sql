-- The locale a workspace's figures are shown in (the dashboard's numbers, dates and money): ru-RU or en-US.
ALTER TABLE reporting_settings ADD COLUMN locale text NOT NULL DEFAULT 'ru-RU';

-- The schema release 0.1 made with Base.metadata.create_all (no migrations), for sqlite.
-- Compiled from monitoring/models.py at commit 791d46c; tests/test_migrations.py builds a
-- store of that release from it to prove `init` upgrades such a store and keeps its data.

CREATE TABLE area (
	id INTEGER NOT NULL,
	name VARCHAR(200) NOT NULL,
	kind VARCHAR(20) NOT NULL,
	code VARCHAR(20),
	match_key VARCHAR(200) NOT NULL,
	parent_id INTEGER,
	PRIMARY KEY (id),
	CONSTRAINT uq_area_kind_name UNIQUE (kind, name),
	FOREIGN KEY(parent_id) REFERENCES area (id) ON DELETE SET NULL
);

CREATE INDEX ix_area_match_key ON area (match_key);

CREATE TABLE audit_event (
	id INTEGER NOT NULL,
	at DATETIME NOT NULL,
	user VARCHAR(100) NOT NULL,
	action VARCHAR(50) NOT NULL,
	entity VARCHAR(50) NOT NULL,
	entity_id VARCHAR(100),
	"before" JSON,
	"after" JSON,
	PRIMARY KEY (id)
);

CREATE TABLE import_batch (
	id INTEGER NOT NULL,
	kind VARCHAR(20) NOT NULL,
	file_name VARCHAR(300) NOT NULL,
	sha256 VARCHAR(64) NOT NULL,
	user VARCHAR(100) NOT NULL,
	created_at DATETIME NOT NULL,
	mapping JSON NOT NULL,
	rows_accepted INTEGER NOT NULL,
	rows_rejected INTEGER NOT NULL,
	status VARCHAR(20) NOT NULL,
	is_demo BOOLEAN NOT NULL,
	PRIMARY KEY (id)
);

CREATE INDEX ix_import_batch_sha256 ON import_batch (sha256);

CREATE TABLE mapping_memory (
	id INTEGER NOT NULL,
	label_key VARCHAR(300) NOT NULL,
	label VARCHAR(300) NOT NULL,
	measure_key VARCHAR(100),
	confirmed_by VARCHAR(100) NOT NULL,
	confirmed_at DATETIME NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (label_key)
);

CREATE TABLE measure (
	id INTEGER NOT NULL,
	"key" VARCHAR(100) NOT NULL,
	name VARCHAR(300) NOT NULL,
	unit VARCHAR(10) NOT NULL,
	population VARCHAR(200),
	direction INTEGER NOT NULL,
	is_lbf BOOLEAN NOT NULL,
	PRIMARY KEY (id),
	UNIQUE ("key")
);

CREATE TABLE observation (
	id INTEGER NOT NULL,
	measure_id INTEGER NOT NULL,
	area_id INTEGER NOT NULL,
	year INTEGER NOT NULL,
	value FLOAT,
	state VARCHAR(20) NOT NULL,
	note TEXT,
	source VARCHAR(200),
	batch_id INTEGER,
	PRIMARY KEY (id),
	CONSTRAINT uq_observation_cell UNIQUE (measure_id, area_id, year),
	FOREIGN KEY(measure_id) REFERENCES measure (id) ON DELETE CASCADE,
	FOREIGN KEY(area_id) REFERENCES area (id) ON DELETE CASCADE,
	FOREIGN KEY(batch_id) REFERENCES import_batch (id) ON DELETE SET NULL
);

CREATE INDEX ix_observation_area ON observation (area_id);

CREATE INDEX ix_observation_batch_id ON observation (batch_id);

CREATE INDEX ix_observation_measure_year ON observation (measure_id, year);

CREATE TABLE observation_change (
	id INTEGER NOT NULL,
	batch_id INTEGER NOT NULL,
	measure_id INTEGER NOT NULL,
	area_id INTEGER NOT NULL,
	year INTEGER NOT NULL,
	existed BOOLEAN NOT NULL,
	old_value FLOAT,
	old_state VARCHAR(20),
	old_note TEXT,
	old_source VARCHAR(200),
	old_batch_id INTEGER,
	PRIMARY KEY (id),
	FOREIGN KEY(batch_id) REFERENCES import_batch (id) ON DELETE CASCADE,
	FOREIGN KEY(measure_id) REFERENCES measure (id) ON DELETE CASCADE,
	FOREIGN KEY(area_id) REFERENCES area (id) ON DELETE CASCADE
);

CREATE INDEX ix_observation_change_batch_id ON observation_change (batch_id);

CREATE TABLE "plan" (
	id INTEGER NOT NULL,
	slug VARCHAR(100) NOT NULL,
	name VARCHAR(300) NOT NULL,
	kommune_id INTEGER NOT NULL,
	main_area_id INTEGER NOT NULL,
	seed_sha256 VARCHAR(64),
	PRIMARY KEY (id),
	UNIQUE (slug),
	FOREIGN KEY(kommune_id) REFERENCES area (id),
	FOREIGN KEY(main_area_id) REFERENCES area (id)
);

CREATE TABLE agreement (
	id INTEGER NOT NULL,
	plan_id INTEGER NOT NULL,
	area_of_effort VARCHAR(200) NOT NULL,
	period_start DATE NOT NULL,
	period_end DATE NOT NULL,
	parties JSON NOT NULL,
	activities JSON NOT NULL,
	staff_resources TEXT,
	PRIMARY KEY (id),
	CONSTRAINT uq_agreement UNIQUE (plan_id, area_of_effort),
	FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE CASCADE
);

CREATE TABLE plan_area (
	id INTEGER NOT NULL,
	plan_id INTEGER NOT NULL,
	area_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_plan_area UNIQUE (plan_id, area_id),
	FOREIGN KEY(plan_id) REFERENCES "plan" (id) ON DELETE CASCADE,
	FOREIGN KEY(area_id) REFERENCES area (id)
);

CREATE TABLE subgoal (
	id INTEGER NOT NULL,
	agreement_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	text TEXT NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(agreement_id) REFERENCES agreement (id) ON DELETE CASCADE
);

CREATE TABLE indicator (
	id INTEGER NOT NULL,
	subgoal_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	name TEXT NOT NULL,
	measure_id INTEGER NOT NULL,
	area_id INTEGER NOT NULL,
	unit VARCHAR(10) NOT NULL,
	direction INTEGER NOT NULL,
	baseline_value FLOAT,
	baseline_year INTEGER,
	baseline_note TEXT,
	baseline_as_written TEXT,
	target_value FLOAT,
	target_year INTEGER,
	target_note TEXT,
	deadline DATE,
	source TEXT,
	PRIMARY KEY (id),
	FOREIGN KEY(subgoal_id) REFERENCES subgoal (id) ON DELETE CASCADE,
	FOREIGN KEY(measure_id) REFERENCES measure (id),
	FOREIGN KEY(area_id) REFERENCES area (id)
);

CREATE TABLE comparator (
	id INTEGER NOT NULL,
	indicator_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	label VARCHAR(200) NOT NULL,
	area_id INTEGER NOT NULL,
	baseline_value FLOAT,
	baseline_year INTEGER,
	as_written TEXT,
	PRIMARY KEY (id),
	FOREIGN KEY(indicator_id) REFERENCES indicator (id) ON DELETE CASCADE,
	FOREIGN KEY(area_id) REFERENCES area (id)
);

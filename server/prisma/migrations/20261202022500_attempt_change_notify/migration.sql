-- Tell listeners whose attempts changed: NOTIFY netlab_attempt_changed with the user id of the
-- learner after every insert, update or delete of an Attempt row (an empty payload after a TRUNCATE:
-- every learner). Delivered at commit to every connection that LISTENs, on this replica or another,
-- so caches of per-learner progress (the my field of the catalog) stay exact without polling.
-- Not expressible in schema.prisma: written by hand (a customized migration, as Prisma documents).
-- No apostrophes in these comments: the PostgreSQL script runner would read them as quotes.
CREATE FUNCTION "netlab_attempt_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('netlab_attempt_changed', '');
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('netlab_attempt_changed', OLD."userId");
  ELSE
    PERFORM pg_notify('netlab_attempt_changed', NEW."userId");
    IF TG_OP = 'UPDATE' AND OLD."userId" IS DISTINCT FROM NEW."userId" THEN
      PERFORM pg_notify('netlab_attempt_changed', OLD."userId");
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Attempt_changed_notify"
  AFTER INSERT OR UPDATE OR DELETE ON "Attempt"
  FOR EACH ROW EXECUTE FUNCTION "netlab_attempt_changed"();

CREATE TRIGGER "Attempt_truncated_notify"
  AFTER TRUNCATE ON "Attempt"
  FOR EACH STATEMENT EXECUTE FUNCTION "netlab_attempt_changed"();

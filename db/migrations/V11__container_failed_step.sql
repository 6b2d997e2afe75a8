-- A deploy that failed keeps the name of the step that failed on its record, beside the audit event that says why.
alter table container add column failed_step varchar(200);

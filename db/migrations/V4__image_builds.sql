-- V4: image records know their project and that a build can be cancelled.
alter table image add column project varchar(64);
alter table image drop constraint image_state_known;
alter table image add constraint image_state_known
    check (state in ('draft', 'building', 'ready', 'failed', 'cancelled'));

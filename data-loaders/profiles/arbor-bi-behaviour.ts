/**
 * Arbor BI Connector, BEHAVIOUR_INCIDENTS dataset: one row per pupil involved in an incident.
 *
 * Sources:
 * - Arbor support, "BI Connector Version 1 Datasets":
 *   https://support.arbor-education.com/hc/en-us/articles/7745552147485-BI-Connector-Version-1-Datasets
 *   BEHAVIOUR_INCIDENTS: BEHAVIOURAL_INCIDENT_INVOLVEMENT_ID (the incident ↔ student record),
 *   BEHAVIOURAL_INCIDENT_ID, APPLICATION_ID, STUDENT_ID, SEVERITY ("Severity of the Incident in
 *   the Behaviour setup in Arbor"), INCIDENT_DT, RESOLVED_DT, LOGGED_BY_STAFF_ID, COMMENT
 *   ("historic field"), NARRATIVE.
 * - Arbor support, "Glossary of key terminology for Behaviour": positive incidents score 1 to 5,
 *   negative −1 to −5, neutral 0:
 *   https://support.arbor-education.com/hc/en-us/articles/13674309043997-Glossary-of-key-terminology-for-Behaviour
 * - arbor-education/sis-sdk-php, src/Arbor/Model/BehaviouralIncident.php and Behaviour.php
 *   (behaviourName, incidentName: the names a richer export may carry).
 */
import { timeOf, type ColumnLookup, type VendorProfile } from './profile.ts';

const severity = (col: ColumnLookup) => col('SEVERITY');

export const arborBiBehaviour: VendorProfile = {
  name: 'arbor-bi-behaviour',
  vendor: 'Arbor',
  title: 'Arbor BI Connector BEHAVIOUR_INCIDENTS table (one row per pupil per incident)',
  recordType: 'behaviour',
  sources: [
    'https://support.arbor-education.com/hc/en-us/articles/7745552147485-BI-Connector-Version-1-Datasets',
    'https://support.arbor-education.com/hc/en-us/articles/13674309043997-Glossary-of-key-terminology-for-Behaviour',
    'arbor-education/sis-sdk-php: src/Arbor/Model/BehaviouralIncident.php, src/Arbor/Model/Behaviour.php',
  ],
  recognise: [['BEHAVIOURAL_INCIDENT_INVOLVEMENT_ID'], ['BEHAVIOURAL_INCIDENT_ID'], ['STUDENT_ID'], ['INCIDENT_DT']],
  pupil: { id: ['STUDENT_ID'] },
  columns: {
    // The incident id: with the pupil it is the contract key (event_id + student_id).
    event_id: { from: ['BEHAVIOURAL_INCIDENT_ID'] },
    date: { from: ['INCIDENT_DT'] },
    time: { reads: ['INCIDENT_DT'], sql: (col) => (col('INCIDENT_DT') ? timeOf(col('INCIDENT_DT') as string) : null) },
    // Arbor's severity is signed: its sign is the polarity, its size the contract's severity (1–5).
    polarity: {
      reads: ['SEVERITY'],
      sql: (col) => {
        const s = severity(col);
        return s && `CASE WHEN try_cast(${s} AS INTEGER) > 0 THEN 'positive' WHEN try_cast(${s} AS INTEGER) < 0 THEN 'negative' WHEN try_cast(${s} AS INTEGER) = 0 THEN 'neutral' END`;
      },
    },
    severity: {
      reads: ['SEVERITY'],
      // Not a number: passed through, so the check rejects it with the value as written.
      sql: (col) => {
        const s = severity(col);
        return s && `CASE WHEN try_cast(${s} AS INTEGER) IS NULL THEN ${s} WHEN abs(try_cast(${s} AS INTEGER)) BETWEEN 1 AND 5 THEN abs(try_cast(${s} AS INTEGER))::VARCHAR END`;
      },
    },
    // Version 1 of the connector has no behaviour type: use a name column when the export has
    // one, else say what is known (the signed severity), so no row is invented or dropped.
    category: {
      reads: ['BEHAVIOUR_NAME', 'BEHAVIOUR_TYPE', 'INCIDENT_NAME', 'SEVERITY'],
      sql: (col) => {
        const name = col('BEHAVIOUR_NAME', 'BEHAVIOUR_TYPE', 'INCIDENT_NAME');
        const s = severity(col);
        const bySeverity = s ? `'Arbor severity ' || nullif(trim(${s}), '')` : 'NULL';
        return name ? `coalesce(nullif(trim(${name}), ''), ${bySeverity})` : bySeverity;
      },
    },
    staff: { from: ['LOGGED_BY_STAFF_ID'] },
    comment: {
      reads: ['NARRATIVE', 'COMMENT'],
      sql: (col) => {
        const parts = [col('NARRATIVE'), col('COMMENT')].filter((p): p is string => p !== null).map((p) => `nullif(trim(${p}), '')`);
        return parts.length > 0 ? `coalesce(${parts.join(', ')})` : null;
      },
    },
  },
  rejectRows: [
    {
      reads: ['SEVERITY'],
      when: (_col, peek) => (peek('SEVERITY') ? `try_cast(${peek('SEVERITY')} AS INTEGER) NOT BETWEEN -5 AND 5` : null),
      reason: "severity outside Arbor's scale of −5 to +5",
    },
  ],
  gaps: [
    'The version 1 table has no behaviour type: category is the BEHAVIOUR_NAME / BEHAVIOUR_TYPE / INCIDENT_NAME column when the export has one, else "Arbor severity N".',
    'No points, location, subject, period or action in this table (point awards are a separate Arbor dataset). The period is found from the time in INCIDENT_DT, placed in the school day (periods.csv, or the default English day).',
    "STUDENT_ID and LOGGED_BY_STAFF_ID are Arbor's internal ids: students.csv must use the same student ids.",
    'RESOLVED_DT and APPLICATION_ID are kept in the raw layer only.',
  ],
};

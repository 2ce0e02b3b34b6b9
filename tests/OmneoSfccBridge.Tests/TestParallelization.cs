// Every test class starts its own bridge host, and Hangfire keeps process-wide state (its log provider points at the
// logger factory of the last host configured): a host stopping while another queues a job breaks that job. Test
// classes therefore run one after another; each is quick, the suite stays around a minute.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

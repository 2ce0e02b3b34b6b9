// Test classes run in parallel (one collection per class, as many tests at once as there are cores). Several bridge
// hosts in one process coexist: each has its own database, Hangfire storage and job activator, and Hangfire's
// process-wide log provider is one that outlives every host (HangfireLog). What still reads process-wide state runs
// alone, after the parallel tests: SyncCollection.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass)]

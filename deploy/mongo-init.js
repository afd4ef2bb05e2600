// Initiates the replica set of deploy/docker-compose.prod.yml once, then waits for a primary so
// the replicas start against a writable set. Run again (every `up`), it changes nothing.
const config = {
  _id: 'rs0',
  members: [
    { _id: 0, host: 'mongo1:27017', priority: 2 },
    { _id: 1, host: 'mongo2:27017', priority: 1 },
    { _id: 2, host: 'mongo3:27017', priority: 1 },
  ],
};

try {
  rs.status();
  print('replica set rs0 already initiated');
} catch (error) {
  if (error.codeName !== 'NotYetInitialized') throw error;
  rs.initiate(config);
  print('replica set rs0 initiated');
}

for (let waited = 0; ; waited += 1) {
  const members = rs.status().members ?? [];
  if (members.some((member) => member.stateStr === 'PRIMARY')) break;
  if (waited > 120) throw new Error('no primary after 60 s');
  sleep(500);
}
print('replica set rs0 has a primary');

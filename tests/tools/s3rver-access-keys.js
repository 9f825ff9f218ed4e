'use strict';
// Preloaded with `node -r` before s3rver's own command line: registers extra access key pairs given as
// `--access-key ID:SECRET` (removed from argv before s3rver parses it), so a test can sign S3 requests with the same
// credentials it uses for other local services. Signatures are still verified against the registered secret.
const AWSAccount = require('s3rver/lib/models/account');

const args = process.argv;
for (let i = 2; i < args.length - 1; ) {
  if (args[i] === '--access-key') {
    const [id, ...secret] = args[i + 1].split(':');
    AWSAccount.DUMMY_ACCOUNT.createKeyPair(id, secret.join(':'));
    args.splice(i, 2);
  } else {
    i++;
  }
}

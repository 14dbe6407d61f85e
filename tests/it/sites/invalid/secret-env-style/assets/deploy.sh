#!/bin/sh
# Deploys the site.
AWS_SECRET_ACCESS_KEY=q8Wm3Xr7Tz2Lp9Vn4Bk6Hs1Jd5Fg0Ca
export GITHUB_TOKEN=t0k3n-abc123def456
DB_PASSWORD='hunter2-correct'
rsync -a public/ host:/srv/site/

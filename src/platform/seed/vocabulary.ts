// Word lists the seed catalog is built from. Realistic enough to make search and filters meaningful.

export const CATEGORIES: readonly (readonly [name: string, description: string])[] = [
  ['automation', 'Automation and workflow skills'],
  ['integration', 'Third-party service integrations'],
  ['data-processing', 'Transform, clean and validate data'],
  ['communication', 'Email, chat and notifications'],
  ['productivity', 'Notes, tasks and everyday helpers'],
  ['development', 'Code, repositories and build tooling'],
  ['devops', 'Deployments, containers and infrastructure'],
  ['security', 'Secrets, scanning and access control'],
  ['analytics', 'Reports, dashboards and statistics'],
  ['finance', 'Invoices, payments and accounting'],
  ['marketing', 'Campaigns, social media and SEO'],
  ['sales', 'CRM, leads and pipelines'],
  ['customer-support', 'Tickets, help desks and feedback'],
  ['hr', 'Recruiting, onboarding and people operations'],
  ['legal', 'Contracts, compliance and policies'],
  ['education', 'Courses, quizzes and learning material'],
  ['healthcare', 'Scheduling, records and health data'],
  ['media', 'Images, audio and video'],
  ['files', 'Documents, archives and conversions'],
  ['web-scraping', 'Crawl pages and extract content'],
  ['ai-ml', 'Models, embeddings and inference'],
  ['calendar', 'Events, meetings and availability'],
  ['storage', 'Buckets, databases and backups'],
  ['monitoring', 'Health checks, logs and alerts'],
];

export const VERBS = [
  'Send', 'Parse', 'Sync', 'Export', 'Import', 'Convert', 'Summarize', 'Validate', 'Fetch', 'Upload',
  'Download', 'Archive', 'Schedule', 'Monitor', 'Transform', 'Merge', 'Split', 'Translate', 'Classify',
  'Extract', 'Generate', 'Backup', 'Restore', 'Notify', 'Deduplicate', 'Enrich', 'Index', 'Search',
  'Compress', 'Encrypt', 'Resize', 'Tag', 'Score', 'Forecast', 'Reconcile', 'Publish', 'Track', 'Audit',
] as const;

export const OBJECTS = [
  'Email', 'CSV File', 'Invoice', 'Calendar Event', 'Slack Message', 'PDF Report', 'Spreadsheet',
  'Customer Record', 'Support Ticket', 'Git Repository', 'Docker Image', 'S3 Bucket', 'Database Table',
  'Web Page', 'RSS Feed', 'Image', 'Audio Clip', 'Video', 'Contract', 'Lead', 'Order', 'Payment',
  'Log File', 'Metric', 'Alert', 'Webhook', 'JSON Document', 'XML Feed', 'Markdown Note', 'Task',
  'Meeting Notes', 'Survey Response', 'Product Catalog', 'Shipping Label', 'Expense Report', 'Timesheet',
  'Job Posting', 'Resume', 'Course', 'Appointment', 'Sitemap', 'API Response', 'Backup Set', 'Certificate',
] as const;

export const QUALIFIERS = [
  '', '', '', 'via SMTP', 'with Retry', 'in Batches', 'to Cloud Storage', 'from API', 'with OCR',
  'Incrementally', 'on Schedule', 'with Templates', 'to Webhook', 'with Deduplication', 'as JSON',
  'for Teams', 'with Audit Log', 'to Data Warehouse', 'from Inbox', 'with Approval',
] as const;

export const TAGS = [
  'email', 'automation', 'csv', 'json', 'pdf', 'api', 'webhook', 'slack', 'teams', 'calendar', 'crm',
  'finance', 'invoice', 'report', 'etl', 'cloud', 's3', 'gcs', 'azure', 'docker', 'kubernetes', 'git',
  'github', 'ci', 'security', 'encryption', 'ocr', 'nlp', 'llm', 'embeddings', 'images', 'audio', 'video',
  'scraping', 'rss', 'sql', 'postgres', 'sqlite', 'backup', 'monitoring', 'alerts', 'logs', 'metrics',
  'scheduling', 'notifications', 'translation', 'summarization', 'classification', 'forecasting',
  'compliance', 'hr', 'recruiting', 'support', 'tickets', 'marketing', 'seo', 'social', 'ecommerce',
] as const;

export const PYTHON_PACKAGES = [
  'requests>=2.31.0', 'pandas>=2.1.0', 'numpy==1.26.4', 'beautifulsoup4>=4.12', 'lxml>=5.0', 'pydantic>=2.5',
  'httpx>=0.27', 'boto3>=1.34', 'google-cloud-storage>=2.14', 'openpyxl>=3.1', 'pypdf>=4.0',
  'pillow>=10.2', 'python-dateutil>=2.8', 'jinja2>=3.1', 'sqlalchemy>=2.0', 'psycopg[binary]>=3.1',
  'slack-sdk>=3.27', 'icalendar>=5.0', 'cryptography>=42.0', 'pyyaml>=6.0', 'scikit-learn>=1.4',
  'feedparser>=6.0', 'tenacity>=8.2', 'rich>=13.7',
] as const;

export const NPM_PACKAGES = [
  'axios@^1.6.0', 'zod@^3.22.0', 'date-fns@^3.3.0', 'cheerio@^1.0.0', 'nodemailer@^6.9.0', 'csv-parse@^5.5.0',
  'pdf-lib@^1.17.0', 'sharp@^0.33.0', '@aws-sdk/client-s3@^3.500.0', 'googleapis@^133.0.0', 'ws@^8.16.0',
  'p-retry@^6.2.0', 'yaml@^2.3.0', 'marked@^12.0.0', 'undici@^6.6.0', 'pino@^8.18.0',
] as const;

export const AUTHORS = [
  'Atom Team', 'Ada Lovelace', 'Grace Hopper', 'Linus T.', 'Margaret H.', 'Ken T.', 'Barbara L.',
  'Community', 'Acme Automation', 'Initech Labs', 'Globex Tools', 'Umbrella Data',
] as const;

export const LICENSES = ['MIT', 'Apache-2.0', 'BSD-3-Clause', 'MPL-2.0'] as const;

export const COMMENTS = [
  'Great skill!', 'Works as described.', 'Saved me hours every week.', 'Needs better docs.',
  'Solid, but slow on big inputs.', 'Exactly what I needed.', 'Had to tweak the config.',
  'Flaky with large files.', 'Five stars, no notes.', 'Good starting point.', null, null, null,
] as const;

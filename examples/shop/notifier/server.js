// Notifier: sends order receipts by email through the mail provider's HTTP API.
const https = require('https');
const axios = require('axios');
const express = require('express');
const pino = require('pino');

const logger = pino();
const app = express();
app.use(express.json({ limit: '100kb' }));

const mail = axios.create({
  baseURL: process.env.MAIL_API_URL,
  httpsAgent: new https.Agent({ rejectUnauthorized: false }),
});

app.get('/healthz', (req, res) => res.send('ok'));

app.post('/receipts', async (req, res) => {
  try {
    await mail.post('/send', { to: req.body.email, template: 'receipt', data: req.body });
    res.status(202).end();
  } catch (err) {
    logger.error({ err }, 'receipt not sent');
    res.status(502).end();
  }
});

app.post('/digest', async (req, res) => {
  try {
    await mail.post('/digest', req.body);
  } catch (e) {}
  res.status(202).end();
});

const server = app.listen(process.env.PORT || 3000);
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});

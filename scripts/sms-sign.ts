import twilio from 'twilio';

// Prints the X-Twilio-Signature Twilio would send for a form POST, so a webhook can be tried
// by hand against a server that checks signatures:
//   npm run -s sms:sign -- <url> '<form body>'      (TWILIO_AUTH_TOKEN from the environment)
const [url, body = ''] = process.argv.slice(2);
const token = process.env.TWILIO_AUTH_TOKEN;
if (!url || !token) {
  console.error('usage: TWILIO_AUTH_TOKEN=… npm run -s sms:sign -- <url> "<form body>"');
  process.exit(2);
}
console.log(twilio.getExpectedTwilioSignature(token, url, Object.fromEntries(new URLSearchParams(body))));

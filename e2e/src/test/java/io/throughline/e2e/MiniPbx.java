package io.throughline.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A test PBX on JAIN-SIP: answers every INVITE on a UDP port, and when the caller hangs up, reports the call to
 * Throughline the way a PBX integration does: the generic webhook (call.started at the INVITE, call.completed at
 * the BYE), signed with the integration's secret. Caller and called number come from the SIP From user and the
 * Request-URI user.
 */
final class MiniPbx implements SipListener, AutoCloseable {

    private record Call(String id, String from, String to, Instant startedAt, Instant answeredAt) {
    }

    private final SipStack stack;
    private final SipProvider provider;
    private final SipFactory factory = SipFactory.getInstance();
    private final int port;
    private final String webhookUrl;
    private final String secret;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    /** The webhook answers, e.g. "200 {...}", for the test's messages. */
    final List<String> delivered = new CopyOnWriteArrayList<>();

    MiniPbx(int port, String webhookUrl, String secret) throws Exception {
        this.port = port;
        this.webhookUrl = webhookUrl;
        this.secret = secret;
        factory.setPathName("gov.nist");
        Properties properties = new Properties();
        properties.setProperty("javax.sip.STACK_NAME", "throughline-mini-pbx-" + port);
        properties.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        stack = factory.createSipStack(properties);
        ListeningPoint point = stack.createListeningPoint("127.0.0.1", port, ListeningPoint.UDP);
        provider = stack.createSipProvider(point);
        provider.addSipListener(this);
        stack.start();
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        try {
            ServerTransaction transaction = event.getServerTransaction() != null ? event.getServerTransaction()
                    : request.getMethod().equals(Request.ACK) ? null : provider.getNewServerTransaction(request);
            String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
            switch (request.getMethod()) {
                case Request.INVITE -> answer(transaction, request, callId);
                case Request.BYE -> {
                    transaction.sendResponse(factory.createMessageFactory().createResponse(Response.OK, request));
                    Call call = calls.remove(callId);
                    if (call != null) {
                        Instant end = Instant.now();
                        long talk = ChronoUnit.SECONDS.between(call.answeredAt(), end);
                        report(call, "call.completed", ", \"status\": \"answered\", \"answered_at\": \"" + call.answeredAt() + "\", \"ended_at\": \""
                                + end + "\", \"duration_sec\": " + ChronoUnit.SECONDS.between(call.startedAt(), end) + ", \"talk_sec\": " + talk);
                    }
                }
                case Request.ACK -> {
                    // The dialog is up.
                }
                default -> transaction.sendResponse(factory.createMessageFactory().createResponse(Response.OK, request));
            }
        } catch (Exception e) {
            delivered.add("error " + e);
        }
    }

    private void answer(ServerTransaction transaction, Request request, String callId) throws Exception {
        var messages = factory.createMessageFactory();
        var headers = factory.createHeaderFactory();
        Instant started = Instant.now();
        transaction.sendResponse(messages.createResponse(Response.RINGING, request));
        Response ok = messages.createResponse(Response.OK, request);
        ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag("pbx" + Math.abs(callId.hashCode()));
        ContactHeader contact = headers.createContactHeader(factory.createAddressFactory().createAddress("sip:pbx@127.0.0.1:" + port));
        ok.addHeader(contact);
        String sdp = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        ok.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
        transaction.sendResponse(ok);
        String from = ((SipURI) ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI()).getUser();
        String to = ((SipURI) request.getRequestURI()).getUser();
        Call call = new Call("sip-" + callId, from, to, started, Instant.now());
        calls.put(callId, call);
        report(call, "call.started", "");
    }

    private void report(Call call, String event, String extra) throws Exception {
        String body = "{\"call_id\": \"" + call.id() + "\", \"event\": \"" + event + "\", \"direction\": \"inbound\", \"from\": \"" + call.from()
                + "\", \"to\": \"" + call.to() + "\", \"started_at\": \"" + call.startedAt() + "\"" + extra + "}";
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        String signature = WebhookSigning.generic(secret, timestamp, body);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(webhookUrl)).header("Content-Type", "application/json")
                .header("X-Timestamp", timestamp).header("X-Signature", signature).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        delivered.add(event + " " + response.statusCode() + " " + response.body());
    }

    @Override
    public void processResponse(ResponseEvent event) {
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }

    @Override
    public void close() {
        stack.stop();
    }
}

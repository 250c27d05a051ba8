package dev.plimsoll.example;

import dev.plimsoll.ops.config.Redaction;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/** Tells the downstream service about new tasks; its failures never fail a request here. */
@Component
class Downstream {

  private static final Logger LOG = LoggerFactory.getLogger(Downstream.class);

  private final RestClient client;
  private final boolean enabled;

  Downstream(TasksProperties properties) {
    URI url = properties.downstream().url();
    this.enabled = url != null;
    JdkClientHttpRequestFactory requests =
        new JdkClientHttpRequestFactory(
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.downstream().timeout())
                .build());
    requests.setReadTimeout(properties.downstream().timeout());
    RestClient.Builder builder = RestClient.builder().requestFactory(requests);
    if (url != null) {
      String userInfo = url.getUserInfo();
      if (userInfo != null) {
        // Credentials go in a header, never in a URL that error messages repeat.
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
        String password = colon < 0 ? "" : userInfo.substring(colon + 1);
        builder.defaultHeaders(headers -> headers.setBasicAuth(user, password));
      }
      builder.baseUrl(withoutUserInfo(url));
    }
    this.client = builder.build();
  }

  private void post(Task task) {
    client
        .post()
        .uri("/events")
        .contentType(MediaType.APPLICATION_JSON)
        .body(Map.of("type", "task.created", "task_id", task.id()))
        .retrieve()
        .toBodilessEntity();
  }

  private static String withoutUserInfo(URI url) {
    try {
      return new URI(
              url.getScheme(),
              null,
              url.getHost(),
              url.getPort(),
              url.getPath(),
              url.getQuery(),
              null)
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("tasks.downstream.url is not a valid URL", e);
    }
  }

  void taskCreated(Task task) {
    if (!enabled) {
      return;
    }
    try {
      try {
        post(task);
      } catch (ResourceAccessException e) {
        // A kept-alive connection the peer had closed: try once more on a new one. The event
        // carries the task ID, so a downstream that already got it can tell.
        post(task);
      }
    } catch (RestClientException e) {
      LOG.warn(
          "Downstream did not take the task.created event for task {}: {}",
          task.id(),
          Redaction.url(e.toString()));
    }
  }
}

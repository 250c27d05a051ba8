package dev.plimsoll.ops.servlet.quickstart;

// tag::embedded[]
import dev.plimsoll.ops.Plimsoll;
import dev.plimsoll.ops.servlet.PlimsollServlets;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;

public final class EmbeddedJetty {
  public static void main(String[] args) throws Exception {
    Plimsoll plimsoll = Plimsoll.create(); // reads OPS_* and OTEL_* settings; SIGTERM drains
    Server server = new Server(Integer.parseInt(System.getenv().getOrDefault("PORT", "8080")));
    server.setStopAtShutdown(false); // Plimsoll stops it, after the drain
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(Hello.class, "/hello");
    context.addEventListener(
        new ServletContextListener() {
          @Override
          public void contextInitialized(ServletContextEvent event) {
            PlimsollServlets.install(event.getServletContext(), plimsoll); // filter, endpoints
          }
        });
    server.setHandler(context);
    plimsoll.shutdown().onServerStop(server::stop);
    server.start();
    server.join();
  }

  public static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain");
      response.getWriter().write("hello\n");
    }
  }
}
// end::embedded[]
